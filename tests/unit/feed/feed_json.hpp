// Test support: a Feed and chapters as JSON, and a comparison of that JSON with an expected
// document that reports every differing field by its path.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "feed/feed.hpp"

namespace hark::feed::testing {

// Every field a fixture may check: format, podcast, episodes (published as ISO 8601,
// absent optionals as null), warnings.
nlohmann::json to_json(const Feed& feed);

// Every field of each chapter, an open end as null.
nlohmann::json to_json(const std::vector<Chapter>& chapters);

// Compares `actual` with `expected`:
// - objects: only the keys present in `expected` are compared (an expected file states what
//   matters for its fixture); a key missing from `actual` is a difference;
// - arrays: same length, element by element — except under "warnings", where expected
//   strings are substrings that the warning at the same position must contain;
// - scalars: equal.
// Returns one line per difference: `episodes[1].duration_ms: expected 90000, got null`.
std::vector<std::string> diff(const nlohmann::json& expected, const nlohmann::json& actual,
                              const std::string& path = "");

}  // namespace hark::feed::testing
