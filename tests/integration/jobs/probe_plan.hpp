// What job_probe writes, shared by the probe and the test that kills it: a transcript
// written in kTranscriptSteps growing replacements with a pause after each (the window
// in which the test kills the probe), then a chained job that writes the chapters in
// two replacements.
#pragma once

#include <string>
#include <vector>

#include "core/model.hpp"
#include "core/transcript.hpp"

namespace hark::app::probe {

inline constexpr const char* kTranscriptKind = "probe_transcript";
inline constexpr const char* kChaptersKind = "probe_chapters";
inline constexpr int kSegments = 3'000;
inline constexpr int kTranscriptSteps = 6;
inline constexpr int kChapters = 12;

// The first `count` segments of the probe's transcript.
inline Transcript transcript(int count) {
  Transcript t;
  t.source = "probe";
  t.language = "en";
  t.speakers = {{"A", "Alice", "host"}, {"B", "Bob", "guest"}};
  for (int i = 0; i < count; ++i) {
    const Millis at = Millis{i} * 2'000;
    Segment s{at, at + 1'900, i % 2 == 0 ? "A" : "B", "segment " + std::to_string(i), {}};
    s.words = {{at, at + 900, "segment", 0.9}, {at + 1'000, at + 1'900, std::to_string(i), 0.8}};
    t.segments.push_back(std::move(s));
  }
  return t;
}

// The first `count` chapters.
inline std::vector<Chapter> chapters(int count) {
  std::vector<Chapter> list;
  for (int i = 0; i < count; ++i) {
    const Millis at = Millis{i} * 500'000;
    list.push_back({at, at + 500'000, "Chapter " + std::to_string(i + 1), "", "", true, "probe"});
  }
  return list;
}

}  // namespace hark::app::probe
