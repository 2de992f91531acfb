// hark_insight_eval: prints the extractive engine's quality on the hand-judged cases in
// tests/fixtures/insight (snip boundary hit rate, title keyword recall, chapter Pk), per
// case, per style and in total. The unit tests assert floors on the same numbers.
//
// Usage: hark_insight_eval [FIXTURE_DIR]   (default: the source tree's tests/fixtures/insight)
#include <cstdio>

#include "fixtures.hpp"

int main(int argc, char** argv) {
  const std::filesystem::path root =
      argc > 1 ? std::filesystem::path(argv[1])
               : std::filesystem::path(HARK_SOURCE_DIR) / "tests/fixtures/insight";
  const auto fixtures = hark::insight::eval::load_fixtures(root);
  if (fixtures.snip_cases.empty()) {
    std::fprintf(stderr, "no snip cases under %s/snips\n", root.c_str());
    return 1;
  }
  const auto report = hark::insight::eval::evaluate(fixtures);
  std::fputs(hark::insight::eval::format_report(report).c_str(), stdout);
  return report.errors.empty() ? 0 : 1;
}
