#include "insight/lexicon.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>

#include "insight/analysis.hpp"
#include "insight/describe.hpp"

namespace hark::insight {
namespace {

namespace fs = std::filesystem;

// A tiny WordNet in WordNet's own file layout.
class LexiconFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("hark-lexicon-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
            "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
    const std::string header = "  1 This software and database is being provided\n";
    write("index.noun", header +
                            "fill n 2 1 @ 2 1 00000001 00000002\n"
                            "knee n 1 1 @ 1 1 00000003\n"
                            "chewing_gum n 1 1 @ 1 0 00000004\n"
                            "foot n 3 1 @ 3 2 00000005\n"
                            "run n 16 1 @ 16 5 00000006\n");
    write("index.verb", header +
                            "fill v 9 1 @ 9 8 00000007\n"
                            "run v 41 1 @ 41 30 00000008\n"
                            "be v 13 1 @ 13 12 00000009\n");
    write("index.adj", header + "warm a 9 1 & 9 5 00000010\nafloat a 1 1 & 1 0 00000011\n");
    write("index.adv", header + "everywhere r 1 0 1 1 00000012\n");
    write("noun.exc", "feet foot\n");
    write("verb.exc", "ran run\n");
    write("cntlist.rev",
          "fill%1:23:00:: 1 4\nfill%2:30:01:: 1 61\nknee%1:08:00:: 1 51\nrun%1:04:01:: 1 18\n"
          "run%2:38:00:: 1 160\nwarm%3:00:01:: 1 40\neverywhere%4:02:00:: 1 19\n"
          "bogus-line\nbe%2:42:03:: 1 9000\n");
  }
  void TearDown() override { fs::remove_all(dir_); }
  void write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
  }
  fs::path dir_;
};

TEST_F(LexiconFiles, ClassesOfWordsAndTheirForms) {
  auto lex = Lexicon::load(dir_);
  ASSERT_TRUE(lex) << lex.error().message;
  // "fills": a noun plural and a verb, mostly the verb.
  const auto fills = lex->classes("fills");
  EXPECT_GT(fills.noun, 0);
  EXPECT_GT(fills.verb, 10 * fills.noun);
  EXPECT_GT(fills.verb_share(), 0.9F);
  // "knees" → knee, a noun only; "feet" → foot by the exception list; "ran" → run.
  EXPECT_EQ(lex->classes("knees").noun_share(), 1.0F);
  EXPECT_GT(lex->classes("feet").noun, 0);
  EXPECT_GT(lex->classes("ran").verb, 0);
  EXPECT_EQ(lex->classes("warm").adj, 41.0F);  // listed once, tagged 40 times
  EXPECT_EQ(lex->classes("warm").verb_share(), 0.0F);
  EXPECT_EQ(lex->classes("everywhere").verb_share(), 1.0F);
  // "bees" is not a form of "be" (a bare "-es" follows only s, x, z, ch, sh or o).
  EXPECT_EQ(lex->classes("bees").verb, 0);
  EXPECT_FALSE(lex->classes("zyzzyva").known());
  EXPECT_EQ(lex->classes("zyzzyva").noun_share(), 0.5F);
  EXPECT_TRUE(lex->has_noun("chewing_gum"));
  EXPECT_FALSE(lex->has_noun("warm"));
}

TEST_F(LexiconFiles, MissingOrEmptyFilesAreErrors) {
  auto missing = Lexicon::load(dir_ / "nowhere");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::NotFound);
  for (const char* name : {"index.noun", "index.verb", "index.adj", "index.adv"})
    write(name, "  1 only the licence header\n");
  auto empty = Lexicon::load(dir_);
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().code, ErrorCode::InvalidInput);
}

// The system's WordNet (scripts/install-deps.sh installs wordnet-base): the words that
// made titles like "Manager Fills" and "Knees Hurt".
TEST(SystemLexicon, KnowsVerbsFromNouns) {
  const auto started = std::chrono::steady_clock::now();
  const Lexicon* lex = english_lexicon();
  ASSERT_NE(lex, nullptr) << "wordnet-base is not installed (scripts/install-deps.sh)";
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::steady_clock::now() - started)
                      .count();
  RecordProperty("load_ms", static_cast<int>(ms));
  EXPECT_EQ(english_lexicon(), lex);  // loaded once
  EXPECT_GT(lex->size(), 100000U);
  EXPECT_GE(lex->classes("fills").verb_share(), 0.5F);
  EXPECT_GE(lex->classes("hurt").verb_share(), 0.5F);
  EXPECT_GE(lex->classes("overnight").verb_share(), 0.5F);
  EXPECT_LT(lex->classes("manager").verb_share(), 0.5F);
  EXPECT_LT(lex->classes("knees").verb_share(), 0.5F);
  EXPECT_LT(lex->classes("warm").verb_share(), 0.5F);  // an adjective may modify
  EXPECT_TRUE(lex->has_noun("chewing_gum"));
}

// Titles say what is done ("Cutting Standing Meetings"): a verb as written back to its base
// form, then on to its "-ing" form with English spelling.
TEST(SystemLexicon, VerbsToTheirBaseAndIngForms) {
  const Lexicon* lex = english_lexicon();
  if (lex == nullptr) GTEST_SKIP() << "wordnet-base is not installed";
  EXPECT_EQ(lex->verb_lemma("stopped"), "stop");
  EXPECT_EQ(lex->verb_lemma("ran"), "run");
  EXPECT_EQ(lex->verb_lemma("cut"), "cut");
  EXPECT_EQ(lex->verb_lemma("reuses"), "reuse");
  EXPECT_EQ(lex->verb_lemma("carries"), "carry");
  EXPECT_EQ(lex->verb_lemma("xylophonic"), "");
  EXPECT_EQ(lex->gerund("cut"), "cutting");
  EXPECT_EQ(lex->gerund("stop"), "stopping");
  EXPECT_EQ(lex->gerund("begin"), "beginning");  // the lexicon lists the doubled form
  EXPECT_EQ(lex->gerund("open"), "opening");     // two syllables: no doubling
  EXPECT_EQ(lex->gerund("visit"), "visiting");
  EXPECT_EQ(lex->gerund("reuse"), "reusing");
  EXPECT_EQ(lex->gerund("see"), "seeing");
  EXPECT_EQ(lex->gerund("lie"), "lying");
  EXPECT_EQ(lex->gerund("fix"), "fixing");
  EXPECT_EQ(lex->gerund("knead"), "kneading");
}

// Key phrases end on nouns: "fills" after "manager" is its verb, so the manager is the
// topic, and "hurt" heads nothing.
TEST(SystemLexicon, TitlesEndOnNounsNotVerbs) {
  if (english_lexicon() == nullptr) GTEST_SKIP() << "wordnet-base is not installed";
  Transcript t;
  const std::vector<std::string> lines = {
      "So what should people actually do about all their passwords?",
      "Get a password manager, honestly.",
      "The manager fills in a different long password for every website you use.",
      "You only remember one strong password, and the manager remembers the rest.",
      "Even a cheap manager beats a notebook of passwords by the bed.",
  };
  Millis at = 0;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    t.segments.push_back({at, at + 5000, i == 0 ? "Host" : "Guest", lines[i], {}});
    at += 5200;
  }
  auto a = EpisodeAnalysis::build(t);
  ASSERT_TRUE(a) << a.error().message;
  const Passage p{&*a, 1, lines.size() - 1, std::nullopt};
  const auto phrases = key_phrases(p, 1, lines.size() - 1, 1, 1);
  for (const auto& ph : phrases) {
    if (ph.noun) {
      EXPECT_EQ(ph.text.find("fills"), std::string::npos) << ph.text;
    }
  }
  const auto manager = std::find_if(phrases.begin(), phrases.end(), [](const KeyPhrase& ph) {
    return ph.text == "manager" || ph.text == "password manager";
  });
  ASSERT_NE(manager, phrases.end());
  EXPECT_TRUE(manager->noun);
}

}  // namespace
}  // namespace hark::insight
