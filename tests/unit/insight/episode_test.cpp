#include "insight/episode.hpp"

#include <gtest/gtest.h>

#include "core/text.hpp"
#include "support.hpp"

namespace hark::insight {
namespace {

using testing::fixture_transcript;

EpisodeAnalysis analyse(const std::string& name) {
  auto a = EpisodeAnalysis::build(fixture_transcript(name));
  if (!a) throw std::runtime_error(a.error().message);
  return std::move(*a);
}

TEST(Highlights, NonOverlappingOrderedAndTitled) {
  for (const char* name :
       {"interview-bees.vtt", "panel-workweek.vtt", "solo-containers.vtt", "ramble-camping.vtt"}) {
    const auto a = analyse(name);
    auto h = highlights(a, {});
    ASSERT_TRUE(h) << name;
    EXPECT_GE(h->size(), 3U) << name;
    EXPECT_LE(h->size(), 10U) << name;
    for (std::size_t i = 0; i < h->size(); ++i) {
      const auto& x = (*h)[i];
      EXPECT_GE(x.end_ms - x.start_ms, 20000) << name;
      EXPECT_LE(x.end_ms - x.start_ms, 90000) << name;
      EXPECT_FALSE(x.title.empty()) << name;
      EXPECT_FALSE(x.summary.empty()) << name;
      if (i > 0) {
        EXPECT_GE(x.start_ms, (*h)[i - 1].end_ms) << name;
      }
    }
  }
}

TEST(Highlights, APublisherSoundbiteIsChosen) {
  const auto a = analyse("solo-containers.vtt");
  // The theft passage (1:00–1:27), which nothing else favours.
  auto h = highlights(a, {Soundbite{60200, 26000, "Theft on the docks"}});
  ASSERT_TRUE(h);
  bool found = false;
  for (const auto& x : *h) found = found || (x.start_ms <= 61000 && x.end_ms >= 86000);
  EXPECT_TRUE(found);
}

TEST(Chapters, StartAtZeroAreLongEnoughAndTitled) {
  for (const char* name : {"interview-bees.vtt", "solo-containers.vtt"}) {
    const auto a = analyse(name);
    auto chapters = generated_chapters(a);
    ASSERT_TRUE(chapters);
    ASSERT_FALSE(chapters->empty());
    EXPECT_EQ(chapters->front().start_ms, 0);
    EXPECT_GE(chapters->size(), 2U) << name;
    // Two minutes, or a sixth of a short episode (these are 5–7 minutes long).
    const Millis min_len = std::min<Millis>(120000, a.sentences().back().sentence.end_ms / 6);
    for (const auto& c : *chapters) {
      EXPECT_FALSE(c.title.empty());
      EXPECT_EQ(c.source, "generated");
      ASSERT_TRUE(c.end_ms);
      EXPECT_GE(*c.end_ms - c.start_ms, min_len) << name << " " << c.title;
    }
  }
}

// Takeaways are claims: not the host introducing the guest, not the set-up of an example,
// however central their words are.
TEST(EpisodeSummary, TakeawaysSkipIntroductionsAndExampleSetups) {
  const std::vector<std::pair<std::string, std::string>> lines = {
      {"Host",
       "My guest today is Ana Ruiz, who studies how a night of sleep turns practice of new words "
       "into memory."},
      {"Ana",
       "Let's say you practice new words at night, and sleep turns that practice into memory."},
      {"Ana", "Sleep after practice turns new words into lasting memory."},
      {"Ana", "Caffeine late in the day cuts deep sleep."},
      {"Ana", "A short nap helps, if it stays under twenty minutes."},
      {"Ana", "Spacing practice over several nights doubles what memory keeps."},
  };
  Transcript t;
  Millis at = 0;
  for (const auto& [speaker, text] : lines) {
    t.segments.push_back({at, at + 9000, speaker, text, {}});
    at += 9500;
  }
  auto a = EpisodeAnalysis::build(t);
  ASSERT_TRUE(a) << a.error().message;
  const auto s = episode_summary(*a);
  ASSERT_GE(s.takeaways.size(), 3U);
  for (const auto& bullet : s.takeaways) {
    EXPECT_EQ(bullet.find("My guest"), std::string::npos) << bullet;
    EXPECT_EQ(bullet.find("Let's say"), std::string::npos) << bullet;
  }
}

TEST(EpisodeSummary, AbstractAndTakeaways) {
  const auto a = analyse("interview-rescue.vtt");
  const auto s = episode_summary(a);
  std::size_t words = tokenize(s.abstract).size();
  EXPECT_GE(words, 50U);
  EXPECT_LE(words, 140U);
  EXPECT_GE(s.takeaways.size(), 3U);
  EXPECT_LE(s.takeaways.size(), 6U);
  for (const auto& t : s.takeaways) EXPECT_FALSE(t.empty());
}

// The episode page shows the abstract and the takeaways one above the other: with claims
// to spare, no takeaway is one of the abstract's sentences again.
TEST(EpisodeSummary, TakeawaysDoNotRepeatTheAbstract) {
  for (const char* name : {"interview-bees.vtt", "panel-workweek.vtt", "solo-containers.vtt",
                           "ramble-camping.vtt", "interview-rescue.vtt"}) {
    const auto a = analyse(name);
    const auto s = episode_summary(a);
    ASSERT_GE(s.takeaways.size(), 3U) << name;
    const std::string abstract = text::to_lower_ascii(s.abstract);
    for (const auto& bullet : s.takeaways) {
      // The bullet's first six words (a bullet may be shortened; the words are the same).
      const auto words = tokenize(bullet);
      ASSERT_GE(words.size(), 3U) << bullet;
      const auto& last = words[std::min<std::size_t>(words.size(), 6) - 1];
      const std::string opening = text::to_lower_ascii(bullet.substr(0, last.end));
      EXPECT_EQ(abstract.find(opening), std::string::npos) << name << ": " << bullet;
    }
  }
}

// The sample podcast's episode 3 (scripts/sample/episode3.txt: "Speaker: turn" lines after
// "---"), each turn timed by its words. Its "That's where the authors tell the story they
// want you to believe" follows "Save the discussion for last", and "I have opinions about
// the chocolate headlines" answers the welcome: as bullets they say nothing.
TEST(EpisodeSummary, NoTakeawayIsSmallTalkOrOnlyPointsBack) {
  const auto script = eval::read_whole_file(std::filesystem::path(HARK_SOURCE_DIR) / "scripts" /
                                            "sample" / "episode3.txt");
  Transcript t;
  Millis at = 0;
  bool body = false;
  std::size_t pos = 0;
  while (pos < script.size()) {
    const std::size_t eol = std::min(script.find('\n', pos), script.size());
    const std::string line = script.substr(pos, eol - pos);
    pos = eol + 1;
    if (line == "---") body = true;
    const std::size_t colon = line.find(": ");
    if (!body || line.empty() || line[0] == '[' || colon == std::string::npos) continue;
    const std::string text = line.substr(colon + 2);
    const auto length = static_cast<Millis>(tokenize(text).size()) * 350;
    t.segments.push_back({at, at + length, line.substr(0, colon), text, {}});
    at += length + 500;
  }
  ASSERT_GT(t.segments.size(), 10U);
  auto a = EpisodeAnalysis::build(t);
  ASSERT_TRUE(a) << a.error().message;
  const auto s = episode_summary(*a);
  ASSERT_GE(s.takeaways.size(), 3U);
  for (const auto& bullet : s.takeaways) {
    for (std::string_view opening :
         {"That's where", "That's why", "This is why", "That's how", "After that"})
      EXPECT_FALSE(bullet.starts_with(opening)) << bullet;
    EXPECT_EQ(bullet.find("opinions about the chocolate"), std::string::npos) << bullet;
  }
}

}  // namespace
}  // namespace hark::insight
