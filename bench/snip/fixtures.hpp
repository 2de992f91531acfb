// Reads tests/fixtures/insight into an eval::FixtureSet (the harness itself does no I/O).
#pragma once

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "insight/eval.hpp"

namespace hark::insight::eval {

inline std::string read_whole_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// `root` holds transcripts/*.vtt, snips/*.json and chapters/*.json.
inline FixtureSet load_fixtures(const std::filesystem::path& root) {
  FixtureSet set;
  auto load = [&](const char* dir, std::map<std::string, std::string>& into) {
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(root / dir, ec))
      if (entry.is_regular_file())
        into[entry.path().filename().string()] = read_whole_file(entry.path());
  };
  load("transcripts", set.transcripts);
  load("snips", set.snip_cases);
  load("chapters", set.chapter_cases);
  return set;
}

}  // namespace hark::insight::eval
