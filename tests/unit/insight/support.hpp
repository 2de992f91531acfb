// Fixture transcripts for the insight tests.
#pragma once

#include <filesystem>
#include <string>

#include "core/transcript.hpp"
#include "fixtures.hpp"  // bench/snip: read_whole_file
#include "transcript/parse.hpp"

namespace hark::insight::testing {

inline Transcript fixture_transcript(const std::string& name) {
  const auto bytes = eval::read_whole_file(std::filesystem::path(HARK_FIXTURES) / "insight" /
                                           "transcripts" / name);
  auto parsed = transcript::parse_transcript(bytes, "text/vtt");
  return parsed ? parsed->transcript : Transcript{};
}

}  // namespace hark::insight::testing
