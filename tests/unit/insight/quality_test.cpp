// The quality floors of the extractive engine on the hand-judged cases in
// tests/fixtures/insight (see make_fixtures.py there). `hark_insight_eval` prints the same
// report case by case.
#include <gtest/gtest.h>

#include <set>

#include "fixtures.hpp"
#include "insight/eval.hpp"

namespace hark::insight::eval {
namespace {

class Quality : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    report_ = new Report(evaluate(load_fixtures(std::filesystem::path(HARK_FIXTURES) / "insight")));
  }
  static void TearDownTestSuite() { delete report_; }
  static Report* report_;
};
Report* Quality::report_ = nullptr;

TEST_F(Quality, TheCasesAreThere) {
  EXPECT_TRUE(report_->errors.empty()) << format_report(*report_);
  EXPECT_GE(report_->snips.size(), 30U);
  EXPECT_GE(report_->chapters.size(), 5U);
  std::set<std::string> styles;
  for (const auto& s : report_->snips) styles.insert(s.style);
  EXPECT_EQ(styles, (std::set<std::string>{"interview", "monologue", "panel", "rambling"}));
}

// The floors: boundaries right in ≥ 80 % of cases (95.7 % today), chapter Pk ≤ 0.35
// (0.27 today).
TEST_F(Quality, SnipBoundariesAreRightInFourCasesOutOfFive) {
  EXPECT_GE(report_->boundary_hit_rate, 0.8) << format_report(*report_);
}

TEST_F(Quality, ChapterPk) {
  EXPECT_LE(report_->mean_pk, 0.35) << format_report(*report_);
}

// The floor for titles: keyword recall ≥ 0.6 (0.609 today; 0.587 before titles said
// what is done to a thing, "Cutting Standing Meetings", and kept the setup of a question
// that points back; see docs/PERFORMANCE.md). Most misses left are words a person
// abstracts ("theft" for "things went missing") or says once.
TEST_F(Quality, TitleKeywordRecall) {
  EXPECT_GE(report_->title_keyword_recall, 0.6) << format_report(*report_);
}

TEST(Pk, KnownValues) {
  EXPECT_DOUBLE_EQ(pk({0, 5}, {0, 5}, 10), 0.0);
  EXPECT_GT(pk({0, 5}, {0}, 10), 0.0);
  EXPECT_GT(pk({0, 5}, {0, 2, 4, 6, 8}, 10), 0.0);
}

}  // namespace
}  // namespace hark::insight::eval
