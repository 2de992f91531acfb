#include "insight/language.hpp"

#include <gtest/gtest.h>

namespace hark::insight {
namespace {

const LanguageRules kEnglish("en");

TEST(Tokenize, WordsApostrophesAndHyphens) {
  const auto tokens = tokenize("Don\xE2\x80\x99t stop\xE2\x80\x94the four-day week, OK?");
  std::vector<std::string> words;
  for (const auto& t : tokens) words.push_back(t.lower);
  EXPECT_EQ(words, (std::vector<std::string>{"don't", "stop", "the", "four-day", "week", "ok"}));
}

TEST(Stem, InflectionsMeet) {
  EXPECT_EQ(kEnglish.stem("sleeping"), kEnglish.stem("sleeps"));
  EXPECT_EQ(kEnglish.stem("studies"), kEnglish.stem("studied"));
  EXPECT_EQ(kEnglish.stem("making"), "make");
  EXPECT_EQ(kEnglish.stem("running"), "run");
  EXPECT_EQ(kEnglish.stem("bees"), "bee");
  EXPECT_EQ(kEnglish.stem("swarming"), kEnglish.stem("swarm"));
}

TEST(StopWords, EnglishOnly) {
  EXPECT_TRUE(kEnglish.is_stop_word("the"));
  EXPECT_TRUE(kEnglish.is_stop_word("um"));
  EXPECT_FALSE(kEnglish.is_content("yeah"));
  EXPECT_TRUE(kEnglish.is_content("honey"));
  const LanguageRules german("de");
  EXPECT_FALSE(german.is_stop_word("the"));
  EXPECT_EQ(german.stem("häuser"), "häuser");
}

TEST(CleanDisfluencies, RemovesFillersAndStutters) {
  EXPECT_EQ(kEnglish.clean_disfluencies("Um, so the, the thing is, you know, it works."),
            "So the thing is it works.");
  EXPECT_EQ(kEnglish.clean_disfluencies("I, I started running."), "I started running.");
  EXPECT_EQ(kEnglish.clean_disfluencies("It was, like, huge, uh, really huge."),
            "It was huge, really huge.");
  EXPECT_EQ(kEnglish.clean_disfluencies("I mean, we sat in the car."), "We sat in the car.");
  EXPECT_EQ(kEnglish.clean_disfluencies("We went th- there twice, you know."),
            "We went there twice.");
  // Meaningful "like" and "I mean" stay.
  EXPECT_EQ(kEnglish.clean_disfluencies("I like bread and I mean it."),
            "I like bread and I mean it.");
}

TEST(TitleFromQuestion, KnownShapes) {
  EXPECT_EQ(kEnglish.title_from_question("So how do you pick a topic?"), "How to Pick a Topic");
  EXPECT_EQ(kEnglish.title_from_question("Why is cramming so bad?"), "Why Cramming Is So Bad");
  EXPECT_EQ(kEnglish.title_from_question("Why do colonies swarm?"), "Why Colonies Swarm");
  EXPECT_EQ(kEnglish.title_from_question("Why does the brain need sleep?"),
            "Why the Brain Needs Sleep");
  EXPECT_EQ(kEnglish.title_from_question("What's the biggest mistake new beekeepers make?"),
            "The Biggest Mistake New Beekeepers Make");
  EXPECT_EQ(kEnglish.title_from_question("Can you tell us about your garden?"), "Your Garden");
  EXPECT_EQ(kEnglish.title_from_question("Is it raining?"), "");
}

// The verb of a compound subject was taken for a noun: "Why City Honeys Taste So…".
TEST(TitleFromQuestion, VerbAfterACompoundSubjectAgrees) {
  EXPECT_EQ(kEnglish.title_from_question("Why does city honey taste so different?"),
            "Why City Honey Tastes So Different");
  EXPECT_EQ(kEnglish.title_from_question("How does a swarm form?"), "How a Swarm Forms");
  EXPECT_EQ(kEnglish.title_from_question("Why are city bees so calm?"),
            "Why City Bees Are So Calm");
}

// "What does the library look like?" lost its "like" as trailing filler.
TEST(TitleFromQuestion, LookLikeKeepsItsLike) {
  EXPECT_EQ(kEnglish.title_from_question("So what does the library look like?"),
            "What Does the Library Look Like");
}

// "How Often to Actually Open a Hive to Check on All This": emphasis and a purpose clause
// about what was said before carry nothing a title needs.
TEST(TitleFromQuestion, DropsEmphasisAndAClauseThatPointsBack) {
  EXPECT_EQ(kEnglish.title_from_question("How often do you actually open a hive to check on "
                                         "all this?"),
            "How Often to Open a Hive");
  EXPECT_EQ(kEnglish.title_from_question("What actually happens when the call comes in?"),
            "What Happens When the Call Comes");
}

TEST(TitleFromQuestion, KeepsATimeFrameAndDropsAReasonClause) {
  EXPECT_EQ(kEnglish.title_from_question("Twenty years from now, what does the library look like?"),
            "What Does the Library Look Like Twenty Years from Now");
  EXPECT_EQ(kEnglish.title_from_question("Honestly, what does the library look like?"),
            "What Does the Library Look Like");
  EXPECT_EQ(
      kEnglish.title_from_question("How do you pick a topic, because I always get stuck on that?"),
      "How to Pick a Topic");
}

TEST(TitleFromYesNoQuestion, NamesTheTopicOrGivesUp) {
  EXPECT_EQ(kEnglish.title_from_yes_no_question("So are people still using libraries at all?"),
            "Are People Still Using Libraries?");
  // A time frame in front is part of the question.
  EXPECT_EQ(kEnglish.title_from_yes_no_question("Ten years from now, will most of us work "
                                                "four days?"),
            "Ten Years from Now, Will Most of Us Work Four Days?");
  EXPECT_EQ(kEnglish.title_from_yes_no_question("Okay, will most of us work four days?"),
            "Will Most of Us Work Four Days?");
  // The reason for asking is not.
  EXPECT_EQ(kEnglish.title_from_yes_no_question(
                "Do greyhounds just bolt, because my neighbour's one did?"),
            "Do Greyhounds Just Bolt?");
  EXPECT_EQ(kEnglish.title_from_yes_no_question("Isn't burnout already costing you money?"),
            "Isn't Burnout Already Costing You Money?");
  // Too little said, a pronoun pointing back, or not a yes/no question at all.
  EXPECT_EQ(kEnglish.title_from_yes_no_question("Should I panic?"), "");
  EXPECT_EQ(kEnglish.title_from_yes_no_question("Has that made things safer or worse?"), "");
  EXPECT_EQ(kEnglish.title_from_yes_no_question("Why do colonies swarm?"), "");
  EXPECT_EQ(LanguageRules("de").title_from_yes_no_question("Sind Bibliotheken noch nötig?"), "");
}

TEST(RefersBack, PronounsThatPointBack) {
  EXPECT_TRUE(kEnglish.refers_back("What did that look like?"));
  EXPECT_TRUE(kEnglish.refers_back("Why do you do it?"));
  EXPECT_FALSE(kEnglish.refers_back("Why do colonies swarm?"));
}

TEST(TitleCase, SmallWordsAndAcronyms) {
  EXPECT_EQ(kEnglish.title_case("the end of the NASA era"), "The End of the NASA Era");
  EXPECT_EQ(kEnglish.title_case("four-day week for everyone"), "Four-Day Week for Everyone");
  EXPECT_EQ(kEnglish.title_case("the biggest danger: the cold"), "The Biggest Danger: The Cold");
}

TEST(Cues, ContinuationAndNewTopic) {
  EXPECT_EQ(kEnglish.continuation_strength("And then it rained."), 2);
  EXPECT_EQ(kEnglish.continuation_strength("That's why it failed."), 1);
  EXPECT_EQ(kEnglish.continuation_strength("Bees swarm in spring."), 0);
  EXPECT_TRUE(kEnglish.starts_new_topic("Um, let's talk about money."));
  EXPECT_FALSE(kEnglish.starts_new_topic("Money talks."));
  // A connective before a cue only hands over; "another" adds an item; a pseudo-cleft names
  // what comes next; stutters do not hide a cue.
  EXPECT_TRUE(kEnglish.starts_new_topic("And there was another cost that shippers hid."));
  EXPECT_EQ(kEnglish.continuation_strength("And there was another cost that shippers hid."), 0);
  EXPECT_TRUE(kEnglish.starts_new_topic("What saved it was the data."));
  EXPECT_FALSE(kEnglish.starts_new_topic("What saved it?"));
  EXPECT_TRUE(kEnglish.starts_new_topic("And the, uh, the big thing I learned is patience."));
  EXPECT_TRUE(kEnglish.starts_new_topic("We're almost out of time."));
  EXPECT_EQ(kEnglish.continuation_strength("But a box only helps if it fits."), 1);
}

TEST(Cues, AnnouncingTheNextItem) {
  EXPECT_TRUE(kEnglish.announces_item("Next, compost."));
  EXPECT_TRUE(kEnglish.announces_item("So first, the soil, because everything grows from it."));
  EXPECT_TRUE(kEnglish.announces_item("Next comes the bit nobody likes, the weeding."));
  EXPECT_TRUE(kEnglish.announces_item("Now the watering."));
  EXPECT_TRUE(kEnglish.announces_item("Okay, now mulch, which most people skip."));
  EXPECT_TRUE(kEnglish.announces_item("Um, now, the pruning."));
  EXPECT_EQ(kEnglish.continuation_strength("Then comes the harvest."), 0);
  // "now" with a clause, a pronoun or a verb is not an announcement; nor is "next" as an
  // adjective.
  EXPECT_FALSE(kEnglish.announces_item("Now the roots have to settle."));
  EXPECT_FALSE(kEnglish.announces_item("Now, I think that matters."));
  EXPECT_FALSE(kEnglish.announces_item("Now that it rained, the soil is soft."));
  EXPECT_FALSE(kEnglish.announces_item("Next week, we plant garlic."));
  EXPECT_FALSE(kEnglish.announces_item("The next morning it froze."));
  EXPECT_FALSE(kEnglish.announces_item("Next."));
  EXPECT_FALSE(LanguageRules("de").announces_item("Next, compost."));
}

}  // namespace
}  // namespace hark::insight
