// Helpers shared by the transcript tests: fixture files, readable times, and diffs of
// transcripts against the JSON shape used by tests/fixtures/transcripts/*.expected.json.
#pragma once

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "core/transcript.hpp"

namespace hark::transcript::testing {

inline std::filesystem::path fixture_dir() {
  return std::filesystem::path(HARK_FIXTURES) / "transcripts";
}

inline std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// "00:01:02.500": readable in fixtures and in failure messages.
inline std::string clock(Millis ms) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%02lld:%02lld:%02lld.%03lld",
                static_cast<long long>(ms / 3600000), static_cast<long long>(ms / 60000 % 60),
                static_cast<long long>(ms / 1000 % 60), static_cast<long long>(ms % 1000));
  return buf;
}

inline nlohmann::json to_expected_shape(const Segment& s) {
  nlohmann::json j = {{"start", clock(s.start_ms)},
                      {"end", clock(s.end_ms)},
                      {"speaker", s.speaker},
                      {"text", s.text}};
  if (!s.words.empty()) {
    j["words"] = nlohmann::json::array();
    for (const auto& w : s.words)
      j["words"].push_back({clock(w.start_ms), clock(w.end_ms), w.text});
  }
  return j;
}

inline nlohmann::json to_expected_shape(const Speaker& s) {
  return {{"id", s.id}, {"name", s.name}, {"role", s.role}};
}

// Element-by-element comparison of a JSON array of expected items with the actual ones;
// returns "" when equal, else one line per difference.
template <typename Item>
std::string diff_items(const std::string& what, const nlohmann::json& expected,
                       const std::vector<Item>& actual) {
  std::string out;
  const std::size_t n = std::max(expected.size(), actual.size());
  for (std::size_t i = 0; i < n; ++i) {
    const auto want = i < expected.size() ? expected[i] : nlohmann::json("<nothing>");
    const auto got = i < actual.size() ? to_expected_shape(actual[i]) : nlohmann::json("<nothing>");
    if (want != got)
      out += "  " + what + "[" + std::to_string(i) + "]\n    expected " + want.dump() +
             "\n    actual   " + got.dump() + "\n";
  }
  return out;
}

}  // namespace hark::transcript::testing
