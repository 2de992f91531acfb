#include "fixture_support.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

#include "feed_json.hpp"

namespace hark::feed::testing {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kExpectedSuffix = ".expected.json";

}  // namespace

fs::path fixture_dir(std::string_view folder) {
  return fs::path(HARK_FIXTURES) / folder;
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

nlohmann::json read_expected(const fs::path& dir, const std::string& name) {
  return nlohmann::json::parse(read_file(dir / (name + std::string(kExpectedSuffix))));
}

std::vector<std::string> fixture_names(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir)) {
    const auto name = entry.path().filename().string();
    if (name.ends_with(kExpectedSuffix))
      names.push_back(name.substr(0, name.size() - kExpectedSuffix.size()));
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::string fixture_test_name(const ::testing::TestParamInfo<std::string>& info) {
  std::string s = info.param;
  std::replace_if(
      s.begin(), s.end(), [](char c) { return !std::isalnum(static_cast<unsigned char>(c)); }, '_');
  return s;
}

std::vector<std::string> inputs_without_expectation(
    const fs::path& dir, std::initializer_list<std::string_view> extensions) {
  std::vector<std::string> missing;
  for (const auto& entry : fs::directory_iterator(dir)) {
    const auto& p = entry.path();
    const auto file = p.filename().string();
    // NAME.expected.json is itself a .json file; it is never an input.
    if (!entry.is_regular_file() || file.ends_with(kExpectedSuffix)) continue;
    if (std::find(extensions.begin(), extensions.end(), p.extension().string()) == extensions.end())
      continue;
    if (!fs::exists(dir / (p.stem().string() + std::string(kExpectedSuffix))))
      missing.push_back(file);
  }
  std::sort(missing.begin(), missing.end());
  return missing;
}

void expect_matches(const nlohmann::json& expected, const nlohmann::json& actual,
                    const std::string& name) {
  const auto differences = diff(expected, actual);
  for (const auto& d : differences) ADD_FAILURE() << name << ": " << d;
  if (!differences.empty() && std::getenv("HARK_DUMP_ACTUAL")) std::cerr << actual.dump(2) << "\n";
}

void expect_invalid_input(const Error& error, const std::string& substring,
                          const std::string& name) {
  EXPECT_EQ(error.code, ErrorCode::InvalidInput) << name;
  EXPECT_NE(error.message.find(substring), std::string::npos)
      << name << ": message: " << error.message;
}

}  // namespace hark::feed::testing
