// Show-notes sanitising: one case per fixture file (fixtures/sanitize/NAME.html and
// NAME.expected.html), hostile inputs first among them.
#include "server/sanitize.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "temp_dir.hpp"

namespace hark::testing {
namespace {

namespace fs = std::filesystem;

const fs::path kDir = fs::path(HARK_SOURCE_DIR) / "tests/integration/server/fixtures/sanitize";

std::vector<std::string> case_names() {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(kDir)) {
    const auto name = entry.path().filename().string();
    const std::string suffix = ".expected.html";
    if (name.size() > suffix.size() && name.ends_with(suffix)) continue;
    if (entry.path().extension() == ".html") names.push_back(entry.path().stem().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

class SanitizeFixture : public ::testing::TestWithParam<std::string> {};

TEST_P(SanitizeFixture, MatchesExpected) {
  const auto input = read_file(kDir / (GetParam() + ".html"));
  const auto expected = read_file(kDir / (GetParam() + ".expected.html"));
  EXPECT_EQ(server::sanitize_html(input), expected);
}

INSTANTIATE_TEST_SUITE_P(Fixtures, SanitizeFixture, ::testing::ValuesIn(case_names()),
                         [](const auto& param_info) { return param_info.param; });

TEST(Sanitize, AtLeastTheHostileCasesExist) {
  const auto names = case_names();
  for (const char* n : {"script", "img_onerror", "javascript_href", "svg_onload", "iframe",
                        "entity_javascript_href", "unclosed"})
    EXPECT_NE(std::find(names.begin(), names.end(), n), names.end()) << n;
}

TEST(Sanitize, NoDangerSurvivesAnyFixture) {
  for (const auto& name : case_names()) {
    const auto out = server::sanitize_html(read_file(kDir / (name + ".html")));
    for (const char* bad : {"<script", "<iframe", "<svg", "<img", "onerror", "onload",
                            "javascript:", "data:", "style=", "<style"})
      EXPECT_EQ(out.find(bad), std::string::npos) << name << ": " << out;
  }
}

TEST(Sanitize, DeeplyNestedInputIsCutOffQuickly) {
  std::string html;
  for (int i = 0; i < 50'000; ++i) html += "<b>";
  html += "deep";
  const auto out = server::sanitize_html(html);
  EXPECT_LT(out.size(), 50'000u * 8);
}

}  // namespace
}  // namespace hark::testing
