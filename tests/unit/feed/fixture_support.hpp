// Test support for the data-driven feed tests. A fixture folder under tests/fixtures holds
// NAME.<input> files, each with a NAME.expected.json; these helpers list the fixtures, read
// them and compare results with their expectations, reporting through GoogleTest.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace hark::feed::testing {

// tests/fixtures/<folder>.
std::filesystem::path fixture_dir(std::string_view folder);

// The file's bytes as they are; "" when it cannot be read, which the comparison then reports.
std::string read_file(const std::filesystem::path& path);

// dir/NAME.expected.json, parsed.
nlohmann::json read_expected(const std::filesystem::path& dir, const std::string& name);

// NAME of every NAME.expected.json in `dir`, sorted: the parameters of a fixture suite.
std::vector<std::string> fixture_names(const std::filesystem::path& dir);

// A fixture name as a GoogleTest name: every character but letters and digits becomes '_'.
std::string fixture_test_name(const ::testing::TestParamInfo<std::string>& info);

// The files in `dir` whose extension is one of `extensions` (".xml") and that have no
// NAME.expected.json, so that no input is silently left out of its suite.
std::vector<std::string> inputs_without_expectation(
    const std::filesystem::path& dir, std::initializer_list<std::string_view> extensions);

// Reports each difference between `expected` and `actual` (see diff in feed_json.hpp) as a
// failure of fixture `name`. With HARK_DUMP_ACTUAL set, a failing fixture also prints
// `actual`, the starting point for a new expectation.
void expect_matches(const nlohmann::json& expected, const nlohmann::json& actual,
                    const std::string& name);

// Checks `error` against an expected {"error": "substring"}: InvalidInput, and a message
// containing the substring.
void expect_invalid_input(const Error& error, const std::string& substring,
                          const std::string& name);

// When `expected` names an "error", checks that `result` failed that way and returns true:
// the fixture is done. Returns false when a result is expected.
template <typename T>
bool expected_error_checked(const nlohmann::json& expected, const Result<T>& result,
                            const std::string& name) {
  if (!expected.contains("error")) return false;
  if (result.has_value())
    ADD_FAILURE() << name << " parsed, but should fail with " << expected["error"];
  else
    expect_invalid_input(result.error(), expected["error"].get<std::string>(), name);
  return true;
}

}  // namespace hark::feed::testing
