#include "insight/snip.hpp"

#include <gtest/gtest.h>

#include "support.hpp"

namespace hark::insight {
namespace {

using testing::fixture_transcript;

class SnipTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto t = fixture_transcript("interview-bees.vtt");
    ASSERT_FALSE(t.segments.empty());
    auto a = EpisodeAnalysis::build(t);
    ASSERT_TRUE(a) << a.error().message;
    analysis_ = new EpisodeAnalysis(std::move(*a));
  }
  static void TearDownTestSuite() { delete analysis_; }
  static EpisodeAnalysis* analysis_;
};
EpisodeAnalysis* SnipTest::analysis_ = nullptr;

bool at_sentence_start(const EpisodeAnalysis& a, Millis ms) {
  for (const auto& s : a.sentences())
    if (s.sentence.start_ms == ms) return true;
  return false;
}
bool at_sentence_end(const EpisodeAnalysis& a, Millis ms) {
  for (const auto& s : a.sentences())
    if (s.sentence.end_ms == ms) return true;
  return false;
}

TEST_F(SnipTest, AnInterviewAnswerStartsAtItsQuestion) {
  // Tapped during the swarming answer (see tests/fixtures/insight/scripts/interview-bees.txt).
  auto d = make_snip(*analysis_, 132000);
  ASSERT_TRUE(d) << d.error().message;
  EXPECT_LE(d->start_ms, 98000);
  EXPECT_GE(d->end_ms, 132000);
  EXPECT_EQ(d->title, "Why Colonies Swarm");
  EXPECT_FALSE(d->summary.empty());
  EXPECT_GE(d->takeaways.size(), 2U);
  EXPECT_LE(d->takeaways.size(), 4U);
  EXPECT_FALSE(d->quote.empty());
  EXPECT_EQ(d->quote_speaker, "Tomas Reyes");
  EXPECT_EQ(d->speakers, (std::vector<std::string>{"Nadia Okafor", "Tomas Reyes"}));
  EXPECT_EQ(d->engine, "extractive");
}

TEST_F(SnipTest, BoundariesAreSentenceBoundariesWithinTheLimits) {
  const SnipOptions o;
  for (Millis tap = 0; tap < analysis_->duration_ms() + 20000; tap += 7919) {
    auto b = snip_bounds(*analysis_, tap, o);
    ASSERT_TRUE(b) << b.error().message;
    EXPECT_TRUE(at_sentence_start(*analysis_, b->start_ms)) << tap;
    EXPECT_TRUE(at_sentence_end(*analysis_, b->end_ms)) << tap;
    EXPECT_GE(b->end_ms - b->start_ms, o.min_ms) << tap;
    EXPECT_LE(b->end_ms - b->start_ms, o.max_ms) << tap;
    auto d = draft_for(*analysis_, *b);
    EXPECT_FALSE(d.title.empty()) << tap;
    EXPECT_LE(d.title.size(), kMaxTitleBytes) << tap;
  }
}

TEST_F(SnipTest, TapAtZeroSnipsTheOpening) {
  auto d = make_snip(*analysis_, 0);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->start_ms, 0);
  EXPECT_GE(d->end_ms, 15000);
  EXPECT_FALSE(d->title.empty());
}

TEST_F(SnipTest, TapAfterTheEndSnipsTheClosingThought) {
  auto d = make_snip(*analysis_, analysis_->duration_ms() + 3600000);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->end_ms, analysis_->sentences().back().sentence.end_ms);
  EXPECT_FALSE(d->title.empty());
}

TEST_F(SnipTest, ASelectionSnapsToWholeSentences) {
  auto d = make_snip_range(*analysis_, 100000, 110000);
  ASSERT_TRUE(d);
  EXPECT_LE(d->start_ms, 100000);
  EXPECT_GE(d->end_ms, 110000);
  EXPECT_TRUE(at_sentence_start(*analysis_, d->start_ms));
  EXPECT_TRUE(at_sentence_end(*analysis_, d->end_ms));
  EXPECT_FALSE(make_snip_range(*analysis_, 5000, 5000));
  SnipOptions short_selections;
  short_selections.max_selection_ms = 60000;
  EXPECT_FALSE(make_snip_range(*analysis_, 0, 120000, short_selections));
}

TEST(SnipErrors, NoTranscriptYet) {
  auto d = make_snip(Transcript{}, 1000);
  ASSERT_FALSE(d);
  EXPECT_EQ(d.error().code, ErrorCode::NotFound);
  EXPECT_NE(d.error().message.find("no transcript"), std::string::npos);
}

TEST(SnipErrors, UntimedTranscript) {
  Transcript t;
  t.timed = false;
  t.segments.push_back({0, 0, "", "An untimed paragraph about bees. It has two sentences.", {}});
  auto d = make_snip(t, 1000);
  ASSERT_FALSE(d);
  EXPECT_EQ(d.error().code, ErrorCode::InvalidInput);
  EXPECT_NE(d.error().message.find("timings"), std::string::npos);
}

TEST(SnipErrors, AOneSentenceTranscriptStillGivesATitle) {
  Transcript t;
  t.segments.push_back({0, 2000, "", "Um, yeah.", {}});
  auto d = make_snip(t, 500);
  ASSERT_TRUE(d) << d.error().message;
  EXPECT_FALSE(d->title.empty());
}

// A solo show that walks through a list, announcing each item ("Now the watering."). Each
// sentence is one cue of six seconds.
Transcript garden_monologue() {
  const std::vector<std::string> lines = {
      "Welcome back to the allotment hour, where we grow things slowly.",
      "Today is all about getting a new vegetable bed through its first summer.",
      "First, the soil, because everything else depends on it.",
      "Dig in a barrow of compost for every square metre of bed.",
      "Compost feeds the worms, and the worms open the soil for roots.",
      "Heavy clay soil needs it most, since it holds water and sets hard.",
      "A spring of digging saves a summer of struggling plants.",
      "Now the watering.",
      "Most people water a little every evening, and that trains shallow roots.",
      "Water deeply twice a week instead, right down at the base of each plant.",
      "A watering can held low keeps the leaves dry and stops mildew.",
      "In a heatwave, water at dawn, before the sun burns it off.",
      "Deep watering makes roots chase the moisture down into cooler ground.",
  };
  Transcript t;
  Millis at = 0;
  for (const auto& line : lines) {
    t.segments.push_back({at, at + 6000, "Host", line, {}});
    at += 6250;
  }
  return t;
}

TEST(SnipAnnouncements, AMonologueSnipStartsAtTheAnnouncedItem) {
  auto a = EpisodeAnalysis::build(garden_monologue());
  ASSERT_TRUE(a) << a.error().message;
  // Tapped in the last sentence about watering: the thought starts at "Now the watering.",
  // not with the soil before it.
  auto b = snip_bounds(*a, 12 * 6250 + 3000);
  ASSERT_TRUE(b) << b.error().message;
  EXPECT_EQ(b->first, 7U) << a->sentence(b->first).sentence.text;
  EXPECT_EQ(b->last, 12U);
  // Tapped in the soil part, the snip starts at its announcement ("First, the soil, …").
  auto soil = snip_bounds(*a, 6 * 6250 + 3000);
  ASSERT_TRUE(soil) << soil.error().message;
  EXPECT_EQ(soil->first, 2U) << a->sentence(soil->first).sentence.text;
  EXPECT_EQ(soil->last, 6U);
}

// A writer that stands in for a language model.
class FakeWriter final : public PassageWriter {
 public:
  explicit FakeWriter(bool fail) : fail_(fail) {}
  Result<PassageText> write(const Passage&) override {
    if (fail_) return unavailable("model unreachable");
    PassageText t;
    t.title = "A Better Title";
    t.engine = "fake-model";
    return t;
  }

 private:
  bool fail_;
};

TEST_F(SnipTest, AModelWriterFallsBackToTheExtractiveText) {
  FakeWriter partial(false), broken(true);
  auto d = make_snip(*analysis_, 132000, {}, &partial);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->title, "A Better Title");
  EXPECT_EQ(d->engine, "fake-model");
  EXPECT_EQ(d->fallback_reason, "");
  EXPECT_FALSE(d->summary.empty());  // filled from the extractive text
  auto e = make_snip(*analysis_, 132000, {}, &broken);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->title, "Why Colonies Swarm");
  EXPECT_EQ(e->engine, "extractive");
  EXPECT_EQ(e->fallback_reason, "model unreachable");
}

}  // namespace
}  // namespace hark::insight
