// The quality harness: scores the extractive engine against hand-judged cases (snip
// boundaries and title words, chapter boundaries). Used by the `hark_insight_eval`
// command and by the unit tests, which assert the floors.
//
// Contract: pure — callers read the fixture files and pass their bytes (FixtureSet), so
// this module stays free of I/O. Thread-compatible.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "insight/episode.hpp"
#include "insight/snip.hpp"

namespace hark::insight::eval {

struct SnipCase {
  std::string name;
  std::string transcript;  // file name of the transcript (key into FixtureSet::transcripts)
  std::string style;       // "interview", "panel", "monologue", "rambling", …
  Millis tap_ms = 0;
  Millis expected_start_ms = 0;
  Millis expected_end_ms = 0;
  // Words a good title contains; "a|b" accepts either. Matched by stem.
  std::vector<std::string> title_keywords;
};

struct ChapterCase {
  std::string name;
  std::string transcript;
  std::string style;
  std::vector<Millis> boundaries_ms;  // where chapters after the first start
};

// {transcript, tap_ms, expected_start_ms, expected_end_ms, title_keywords[], style?}
Result<SnipCase> parse_snip_case(std::string_view json, std::string name);
// {transcript, boundaries_ms[], style?}
Result<ChapterCase> parse_chapter_case(std::string_view json, std::string name);

// The raw files: name → bytes. Transcripts are VTT (or any format parse_transcript knows).
struct FixtureSet {
  std::map<std::string, std::string> transcripts;
  std::map<std::string, std::string> snip_cases;
  std::map<std::string, std::string> chapter_cases;
};

struct SnipResult {
  std::string name;
  std::string style;
  bool start_ok = false;  // within ±1 sentence of the expected start
  bool end_ok = false;
  int start_off = 0;  // sentences: got − expected
  int end_off = 0;
  Millis got_start_ms = 0, got_end_ms = 0;
  Millis expected_start_ms = 0, expected_end_ms = 0;
  std::string title;
  std::string reason;
  double keyword_recall = 0;
  std::string error;  // non-empty when the snip failed
};

struct ChapterResult {
  std::string name;
  std::string style;
  double pk = 1;
  std::vector<Millis> expected_ms, got_ms;
  std::vector<std::string> titles;
};

struct StyleTotals {
  int cases = 0;
  int boundaries_right = 0;
  double keyword_recall = 0;  // mean
};

struct Report {
  std::vector<SnipResult> snips;
  std::vector<ChapterResult> chapters;
  double boundary_hit_rate = 0;
  double title_keyword_recall = 0;
  double mean_pk = 1;
  std::map<std::string, StyleTotals> by_style;
  std::vector<std::string> errors;  // fixture problems (unparsable case, missing transcript)
};

// Pk (Beeferman et al.): the probability that two sentences k apart are wrongly judged to
// be in the same or different segments. Boundaries are sentence indices where a segment
// starts (0 may be omitted); k defaults to half the mean reference segment length.
double pk(const std::vector<std::size_t>& reference, const std::vector<std::size_t>& hypothesis,
          std::size_t sentence_count, std::size_t k = 0);

Report evaluate(const FixtureSet& fixtures, const SnipOptions& snip_options = {},
                const ChapterOptions& chapter_options = {});

// The human-readable report: one line per case, then the totals per style and overall.
std::string format_report(const Report& report);

}  // namespace hark::insight::eval
