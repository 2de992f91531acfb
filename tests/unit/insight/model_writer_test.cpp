// ModelWriter's prompt and its checks on what a model answers. The model here is a stand-in
// that returns a canned reply; the real one over HTTP is in tests/integration/snips.
#include "insight/model_writer.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "insight/lexicon.hpp"
#include "insight/snip.hpp"
#include "support.hpp"

namespace hark::insight {
namespace {

using nlohmann::json;
using testing::fixture_transcript;

bool contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

// Answers every request with `content` and remembers the last request.
class CannedModel final : public llm::ChatModel {
 public:
  explicit CannedModel(std::string content, std::string finish = "stop")
      : content_(std::move(content)), finish_(std::move(finish)) {}
  Result<llm::ChatReply> chat(const llm::ChatRequest& request) override {
    last = request;
    llm::ChatReply r;
    r.content = content_;
    r.finish_reason = finish_;
    return r;
  }
  std::string model_name() const override { return "tiny"; }
  llm::ChatRequest last;

 private:
  std::string content_;
  std::string finish_;
};

class ModelWriterTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto a = EpisodeAnalysis::build(fixture_transcript("interview-bees.vtt"));
    ASSERT_TRUE(a) << a.error().message;
    analysis_ = new EpisodeAnalysis(std::move(*a));
  }
  static void TearDownTestSuite() { delete analysis_; }

  // The swarming question and its answer.
  static Passage passage() {
    auto b = range_bounds(*analysis_, 97500, 124000);
    EXPECT_TRUE(b);
    return {analysis_, b->first, b->last, b->moment};
  }
  static std::string reply(const std::string& title, const std::string& quote,
                           json takeaways = {"Swarming is reproduction", "Swarms are gentle"}) {
    return json{{"title", title},
                {"summary", "Tomas explains that a swarm is a colony splitting in two."},
                {"takeaways", std::move(takeaways)},
                {"quote", quote}}
        .dump();
  }
  static PassageText written(const std::string& content, std::string finish = "stop") {
    CannedModel model(content, std::move(finish));
    ModelWriter writer(model, {"Bees and Us", "Swarms", ""});
    return write_with_fallback(&writer, passage());
  }
  static EpisodeAnalysis* analysis_;
};
EpisodeAnalysis* ModelWriterTest::analysis_ = nullptr;

constexpr const char* kQuote =
    "When you see that cloud on a lamp post, those bees are actually at their most gentle.";

TEST_F(ModelWriterTest, TheRequestCarriesTheContextTheExcerptAndTheSchema) {
  CannedModel model(reply("Why Colonies Swarm", kQuote));
  ModelWriter writer(
      model, {"Bees and Us", "Episode 4: Swarms", "<p>Tomas Reyes on <b>swarming</b>.</p>"});
  ASSERT_TRUE(writer.write(passage()));
  const auto& r = model.last;
  ASSERT_EQ(r.messages.size(), 2U);
  EXPECT_EQ(r.messages[0].role, "system");
  EXPECT_TRUE(contains(r.messages[0].content, "\"quote\"")) << r.messages[0].content;
  const std::string& user = r.messages[1].content;
  EXPECT_TRUE(contains(user, "Podcast: Bees and Us\n")) << user;
  EXPECT_TRUE(contains(user, "Episode: Episode 4: Swarms\n")) << user;
  EXPECT_TRUE(contains(user, "About the episode: Tomas Reyes on swarming .")) << user;
  EXPECT_TRUE(contains(user, "Excerpt (1:37\u20132:")) << user;
  EXPECT_TRUE(contains(user, "\nNadia Okafor: Why do colonies swarm?\nTomas Reyes: Swarming is"))
      << user;
  EXPECT_EQ(r.format, llm::ReplyFormat::JsonSchema);
  const auto schema = json::parse(r.json_schema);
  EXPECT_EQ(schema["required"], json({"title", "summary", "takeaways", "quote"}));
}

TEST_F(ModelWriterTest, AGoodReplyIsUsedAndTheQuoteSpeakerComesFromTheTranscript) {
  const auto t = written(reply("Why Colonies Swarm", kQuote));
  EXPECT_EQ(t.engine, "llm:tiny");
  EXPECT_EQ(t.fallback_reason, "");
  EXPECT_EQ(t.title, "Why Colonies Swarm");
  EXPECT_EQ(t.summary, "Tomas explains that a swarm is a colony splitting in two.");
  EXPECT_EQ(t.takeaways,
            (std::vector<std::string>{"Swarming is reproduction", "Swarms are gentle"}));
  EXPECT_EQ(t.quote, kQuote);
  EXPECT_EQ(t.quote_speaker, "Tomas Reyes");
}

TEST_F(ModelWriterTest, TitlesLoseLabelsQuotesAndTrailingFiller) {
  EXPECT_EQ(written(reply("Title: \"Why Colonies Swarm and the\"...", kQuote)).title,
            "Why Colonies Swarm");
  EXPECT_EQ(written(reply("**How do bees choose a home?**", kQuote)).title,
            "How do bees choose a home?");
  EXPECT_EQ(written(reply("Nadia Okafor: Why do colonies swarm?", kQuote)).title,
            "Why do colonies swarm?");
}

TEST_F(ModelWriterTest, AQuoteIsFoundIgnoringCaseAndPunctuation) {
  const auto t = written(reply("Swarms",
                               "when you see that cloud on a lamp-post those bees are actually "
                               "at their most gentle"));
  EXPECT_EQ(t.fallback_reason, "");
  EXPECT_EQ(t.quote_speaker, "Tomas Reyes");
}

TEST_F(ModelWriterTest, AlmostJsonAndASpeakerLabelOnTheQuoteAreRepaired) {
  const auto t = written(
      "{\"title\": \"Bees\\' Gentle Swarms\\n\", \"summary\": \"Swarms are calm.\", "
      "\"takeaways\": [\"Swarms are calm and gentle\"], \"quote\": \"Tomas Reyes: The old queen "
      "leaves with about half "
      "of the workers.\"}");
  EXPECT_EQ(t.engine, "llm:tiny");
  EXPECT_EQ(t.title, "Bees' Gentle Swarms");
  EXPECT_EQ(t.quote, "The old queen leaves with about half of the workers.");
  EXPECT_EQ(t.quote_speaker, "Tomas Reyes");
  EXPECT_EQ(t.fallback_reason, "");
}

TEST_F(ModelWriterTest, AQuoteNotInTheTextIsReplacedByTheExtractiveOne) {
  const auto extractive = extractive_text(passage());
  const auto t = written(reply("Why Colonies Swarm", "Bees are the best pets you can own."));
  EXPECT_EQ(t.engine, "llm:tiny");
  EXPECT_EQ(t.title, "Why Colonies Swarm");
  EXPECT_EQ(t.quote, extractive.quote);
  EXPECT_EQ(t.quote_speaker, extractive.quote_speaker);
  EXPECT_TRUE(contains(t.fallback_reason, "not in the transcript")) << t.fallback_reason;
  // Too short to be a quote, even if those words occur.
  EXPECT_TRUE(contains(written(reply("Swarms", "the bees")).fallback_reason, "quote:"));
}

TEST_F(ModelWriterTest, TakeawaysAreCleanedDeduplicatedAndCapped) {
  const auto t = written(
      reply("Swarms", kQuote,
            {"- Swarming is reproduction", "1. Swarms are gentle", "swarming is reproduction", "  ",
             "The old queen leaves", "Workers raise a new queen", "Swarming bees have no home",
             "Their stomachs are full of honey", "A colony splits in two"}));
  EXPECT_EQ(t.takeaways,
            (std::vector<std::string>{"Swarming is reproduction", "Swarms are gentle",
                                      "The old queen leaves", "Workers raise a new queen",
                                      "Swarming bees have no home"}));
  EXPECT_EQ(t.fallback_reason, "");
}

// A small model's slips in single fields: the field comes from the extractive engine, the
// rest stays the model's, and the reason names what was replaced.
TEST_F(ModelWriterTest, AnInventedSummaryOrPlaceholderTakeawaysAreReplaced) {
  const auto extractive = extractive_text(passage());
  auto invented = json::parse(reply("Why Colonies Swarm", kQuote));
  invented["summary"] = "So what happens when you go to bed early with a full moon outside?";
  auto t = written(invented.dump());
  EXPECT_EQ(t.engine, "llm:tiny");
  EXPECT_EQ(t.title, "Why Colonies Swarm");
  EXPECT_EQ(t.summary, extractive.summary);
  EXPECT_TRUE(contains(t.fallback_reason, "summary: the model's is a question"))
      << t.fallback_reason;
  invented["summary"] = "Penguins migrate across frozen oceans during polar winters.";
  t = written(invented.dump());
  EXPECT_EQ(t.summary, extractive.summary);
  EXPECT_TRUE(contains(t.fallback_reason, "summary: the model's is not about the excerpt"))
      << t.fallback_reason;

  t = written(
      reply("Why Colonies Swarm", kQuote,
            {"Takeaway1", "Key point 2", "Tomas Reyes", "Nadia Okafor: Why do colonies swarm?",
             "Penguins migrate across frozen oceans"}));
  EXPECT_EQ(t.engine, "llm:tiny");
  EXPECT_EQ(t.summary, "Tomas explains that a swarm is a colony splitting in two.");
  EXPECT_EQ(t.takeaways, extractive.takeaways);
  EXPECT_TRUE(contains(t.fallback_reason, "takeaways: the model's are placeholders"))
      << t.fallback_reason;
  // Some good ones among them: only the good ones are kept, with no reason to record.
  t = written(
      reply("Why Colonies Swarm", kQuote, {"Takeaway1", "Swarming is how colonies reproduce"}));
  EXPECT_EQ(t.takeaways, (std::vector<std::string>{"Swarming is how colonies reproduce"}));
  EXPECT_EQ(t.fallback_reason, "");
}

// Each of these falls back to the extractive text as a whole, with the reason recorded.
void expect_fallback(const PassageText& t, const EpisodeAnalysis& a, const Passage& p,
                     std::string_view reason) {
  const auto extractive = extractive_text(p);
  EXPECT_EQ(t.engine, "extractive");
  EXPECT_EQ(t.title, extractive.title);
  EXPECT_EQ(t.summary, extractive.summary);
  EXPECT_TRUE(contains(t.fallback_reason, reason)) << t.fallback_reason;
  (void)a;
}

TEST_F(ModelWriterTest, ARefusalFallsBack) {
  expect_fallback(written("I'm sorry, but I can't help with that request."), *analysis_, passage(),
                  "refusal");
  expect_fallback(written(reply("As an AI language model, I cannot summarise this", kQuote)),
                  *analysis_, passage(), "refusal");
}

TEST_F(ModelWriterTest, InvalidRepliesFallBack) {
  expect_fallback(written("{\"title\": \"Swarms\", \"summary\": "), *analysis_, passage(),
                  "no JSON object");
  expect_fallback(written("{\"title\": \"Swarms\", \"summary\": 'x'}"), *analysis_, passage(),
                  "not valid JSON");
  expect_fallback(written(R"({"title": "Swarms", "summary": "s", "quote": "q"})"), *analysis_,
                  passage(), "takeaways");
  expect_fallback(written(R"({"title": 3, "summary": "s", "takeaways": ["a"], "quote": "q"})"),
                  *analysis_, passage(), "\"title\" is not text");
  expect_fallback(written(reply("...", kQuote)), *analysis_, passage(), "empty title");
  expect_fallback(written(reply("} {", kQuote)), *analysis_, passage(), "empty title");
  expect_fallback(written(reply("} { 2019-08-31T07:45:56, 1:00AM", kQuote)), *analysis_, passage(),
                  "JSON or markup");
  expect_fallback(written(reply("Tomas Reyes", kQuote)), *analysis_, passage(),
                  "a speaker's name for a title");
  expect_fallback(written(reply(std::string(120, 'x'), kQuote)), *analysis_, passage(),
                  "longer than 100");
  expect_fallback(written(reply("Swarms", kQuote, json::array())), *analysis_, passage(),
                  "no takeaways");
  expect_fallback(written(reply("Swarms", kQuote, {"{{slug}}"})), *analysis_, passage(),
                  "placeholder");
  expect_fallback(written(reply("Swarms", kQuote), "length"), *analysis_, passage(), "cut off");
}

TEST_F(ModelWriterTest, ATitleWithAWordRunTogetherFallsBack) {
  if (english_lexicon() == nullptr) GTEST_SKIP() << "wordnet-base is not installed";
  expect_fallback(written(reply("Why Colonies Swarm Theanswer", kQuote)), *analysis_, passage(),
                  "a word that is not one (\"theanswer\"");
  // Names from the passage and possessives of them are words.
  EXPECT_EQ(written(reply("Tomas Reyes's Swarming Bees", kQuote)).engine, "llm:tiny");
}

TEST(QuoteOccursIn, IgnoresCasePunctuationAndFillers) {
  EXPECT_TRUE(quote_occurs_in("I don't know, really", "Well, um, I don\u2019t know. Really!"));
  EXPECT_TRUE(quote_occurs_in("\u201CThe queen leaves\u201D", "the old queen... The queen leaves"));
  EXPECT_FALSE(quote_occurs_in("the queen stays", "The queen leaves"));
  EXPECT_FALSE(quote_occurs_in("", "anything"));
  EXPECT_FALSE(quote_occurs_in("lea", "The queen leaves"));  // whole words only
}

}  // namespace
}  // namespace hark::insight
