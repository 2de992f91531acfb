// Extractive titles on small hand-made passages: the shapes the quality harness
// (quality_test.cpp) measures only in aggregate.
#include "insight/describe.hpp"

#include <gtest/gtest.h>

#include "insight/lexicon.hpp"
#include "insight/snip.hpp"

namespace hark::insight {
namespace {

// A transcript from "Speaker: sentence" lines, each sentence 4 s long.
Transcript talk(const std::vector<std::pair<std::string, std::string>>& lines) {
  Transcript t;
  Millis at = 0;
  for (const auto& [speaker, text] : lines) {
    t.segments.push_back({at, at + 4000, speaker, text, {}});
    at += 4500;
  }
  return t;
}

std::string title_of(const Transcript& t, std::size_t first, std::size_t last,
                     std::optional<std::size_t> moment = std::nullopt) {
  auto a = EpisodeAnalysis::build(t);
  if (!a) return "error: " + a.error().message;
  return extractive_title(Passage{&*a, first, last, moment});
}

TEST(ExtractiveTitle, AReasonForAskingIsNotPartOfTheQuestion) {
  const auto t = talk({
      {"Leah", "And the first week, how was that, because I remember you texting me at three?"},
      {"Danny", "Oh, it was rough. She paced around the kitchen and cried all night."},
      {"Danny", "Someone said to get a crate and put a blanket over it."},
      {"Danny", "By the fourth night she slept in the crate with the door open."},
  });
  const std::string title = title_of(t, 0, 3);
  // The topic put in front of the question names it; "because I remember…" is left out.
  EXPECT_TRUE(title.starts_with("The First Week")) << title;
  EXPECT_EQ(title.find("Remember"), std::string::npos) << title;
}

TEST(ExtractiveTitle, WhatAboutTakesTheTopicUpToTheComma) {
  const auto t = talk({
      {"Leah", "What about walks, because greyhounds, don't they just bolt?"},
      {"Danny", "She pulled a lot at first, so we went to a class for six weeks."},
      {"Danny", "The trainer said to stop walking whenever she pulls on the lead."},
      {"Danny", "Now she walks on a loose lead most days, and the lead stays slack."},
  });
  const std::string title = title_of(t, 0, 3);
  EXPECT_TRUE(title.starts_with("Walks")) << title;
  EXPECT_EQ(title.find("Greyhounds"), std::string::npos) << title;
}

TEST(ExtractiveTitle, AThingGainsWhatThePassageSaysToDoWithIt) {
  if (english_lexicon() == nullptr) GTEST_SKIP() << "wordnet-base is not installed";
  const auto t = talk({
      {"Leo", "If a company wanted to try this next month, what would it change first?"},
      {"Amara", "Meetings, almost always."},
      {"Amara", "The companies that did best cut standing meetings to half the length."},
      {"Amara", "Some replaced status meetings with a short written update."},
  });
  EXPECT_EQ(title_of(t, 0, 3), "Cutting Standing Meetings");
}

// The sample episode's moment at 0:21–1:00: "follow a research paper" keeps its article.
TEST(ExtractiveTitle, AnArticleBeforeTheThingStays) {
  if (english_lexicon() == nullptr) GTEST_SKIP() << "wordnet-base is not installed";
  const auto t = talk({
      {"Theo", "Let's say I find a paper that everyone is talking about."},
      {"Theo", "Where do I even start?"},
      {"Helen", "Not at the beginning, surprisingly."},
      {"Helen", "Read the abstract, and then go straight to the figures and tables."},
      {"Helen", "After that, read the methods, which tell you who was studied."},
      {"Theo", "Can a normal person really follow a research paper?"},
      {"Helen", "You can follow more than you think."},
  });
  const std::string title = title_of(t, 0, 6);
  EXPECT_EQ(title, "Following a Research Paper");
}

TEST(ExtractiveTitle, AQuestionThatPointsBackKeepsItsSetup) {
  const auto t = talk({
      {"Ben", "Last question. You're not paid for any of this."},
      {"Ben", "Why do you do it?"},
      {"Karin", "Part of it is that I love the mountains, and this gives something back."},
      {"Karin", "But mostly it's the team, the trust you feel carrying a stretcher at night."},
  });
  const std::string title = title_of(t, 0, 3);
  EXPECT_TRUE(title.starts_with("Why")) << title;
  EXPECT_NE(title.find("Not Paid"), std::string::npos) << title;
}

// The card shows the summary, then the takeaways, then the quote: with claims to spare, a
// takeaway does not say the summary's sentence again.
TEST(ExtractiveText, TakeawaysLeaveTheSummaryOutWhenThereIsMoreToSay) {
  const auto t = talk({
      {"Helen", "A relative risk sounds dramatic, but the absolute numbers decide what it means."},
      {"Helen", "Doubling a one in a million risk still leaves you at two in a million."},
      {"Helen", "Check the size of the effect, not just whether it is significant."},
      {"Helen", "Small studies exaggerate effects, because only the lucky ones get published."},
      {"Helen", "Look for a preregistered trial, where the outcome was fixed in advance."},
      {"Helen", "And ask who paid for it, since funding shapes which questions are asked."},
  });
  auto a = EpisodeAnalysis::build(t);
  ASSERT_TRUE(a) << a.error().message;
  const auto text = extractive_text(Passage{&*a, 0, 5, std::nullopt});
  ASSERT_FALSE(text.summary.empty());
  ASSERT_GE(text.takeaways.size(), 2U);
  for (const auto& bullet : text.takeaways) {
    const std::string head = bullet.substr(0, std::min<std::size_t>(bullet.size(), 30));
    EXPECT_EQ(text.summary.find(head), std::string::npos) << bullet << " | " << text.summary;
  }
}

TEST(ExtractiveTitle, AnAddressedNameIsNotTheTopic) {
  const auto t = talk({
      {"Leah", "So, Biscuit, where did she come from?"},
      {"Danny", "My sister volunteers at a rescue centre for retired racing greyhounds."},
      {"Danny", "The rescue centre had a greyhound lying on a blanket, and I adopted her."},
  });
  EXPECT_FALSE(title_of(t, 0, 2).starts_with("Biscuit")) << title_of(t, 0, 2);
}

TEST(ExtractiveTitle, AMannerThePassageInsistsOnIsKept) {
  const auto t = talk({
      {"Jess", "We talked about the campsite earlier and the tent and the lake."},
      {"Jess", "The big thing about running is that you have to go really slowly."},
      {"Jess", "Embarrassingly slowly, I mean, because running fast made me stop."},
      {"Jess", "Now I run so slowly that walkers overtake me, and I keep going for ages."},
      {"Marco", "The tent was a disaster, though, and the lake was cold."},
  });
  EXPECT_EQ(title_of(t, 1, 3), "Running Slowly");
}

TEST(ExtractiveTitle, AnActivityThePassageKeepsNamingLeadsTheTitle) {
  const auto t = talk({
      {"Marco", "When I tried running my knees were sore after every single week."},
      {"Jess", "The woman at the running shop watched me on a treadmill for two minutes."},
      {"Jess", "She said my old gym shoes were wrong, so I bought proper running shoes."},
      {"Jess", "The knee pain went away, and the shoes cost less than I feared."},
  });
  const std::string title = title_of(t, 0, 3);
  EXPECT_TRUE(title.starts_with("Running: ")) << title;
  // "In the morning" names a time, not an activity.
  const auto u = talk({
      {"Host", "The tent was flooded in the morning after the storm."},
      {"Host", "By the morning the flat spot was a puddle of rain water."},
      {"Host", "Every morning since, I pitch the tent on higher ground."},
  });
  EXPECT_FALSE(title_of(u, 0, 2).starts_with("Morning")) << title_of(u, 0, 2);
}

TEST(ExtractiveTitle, AMonologueThatAsksItselfNamesItsAnswer) {
  const auto t = talk({
      {"Host", "Shipping moved to new terminals and the docks went quiet."},
      {"Host", "So what is the lesson of the box?"},
      {"Host", "I think the technologies that change the world are often boring infrastructure."},
      {"Host", "Nobody wrote poems about boring infrastructure, and nobody remembers it."},
      {"Host", "If you want to understand the world, look at the boring infrastructure first."},
  });
  const std::string title = title_of(t, 1, 4);
  EXPECT_TRUE(title.starts_with("The Lesson of the Box")) << title;
  EXPECT_NE(title.find("Infrastructure"), std::string::npos) << title;
}

TEST(ExtractiveTitle, TheSentenceTappedInWeighsMore) {
  // Two equally weighted topics; the one in the sentence the listener tapped in wins.
  const auto t = talk({
      {"Host", "The harbour had cranes and the market had fish."},
      {"Host", "Cranes lifted the boxes while fish came off the boats."},
      {"Host", "The cranes were the loudest thing in town."},
      {"Host", "The fish sold out every morning before seven."},
  });
  auto a = EpisodeAnalysis::build(t);
  ASSERT_TRUE(a);
  const std::string cranes = extractive_title(Passage{&*a, 0, 3, std::size_t{2}});
  const std::string fish = extractive_title(Passage{&*a, 0, 3, std::size_t{3}});
  EXPECT_TRUE(cranes.starts_with("Cranes")) << cranes;
  EXPECT_TRUE(fish.starts_with("Fish")) << fish;
}

TEST(ExtractiveTitle, ASnipRecordsTheSentenceTappedIn) {
  const auto t = talk({
      {"Host", "The harbour had cranes and the market had fish."},
      {"Host", "Cranes lifted the boxes while fish came off the boats."},
      {"Host", "The cranes were the loudest thing in town."},
      {"Host", "The fish sold out every morning before seven."},
  });
  auto a = EpisodeAnalysis::build(t);
  ASSERT_TRUE(a);
  auto b = snip_bounds(*a, 14000);  // in the fourth sentence (13.5–17.5 s)
  ASSERT_TRUE(b) << b.error().message;
  ASSERT_TRUE(b->moment.has_value());
  EXPECT_EQ(*b->moment, 3U);
  EXPECT_GE(*b->moment, b->first);
  EXPECT_LE(*b->moment, b->last);
  auto r = range_bounds(*a, 0, 17000);
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->moment.has_value());
}

}  // namespace
}  // namespace hark::insight
