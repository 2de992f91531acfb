// The [llm] table of hark.toml and its overrides.
#include "app/llm_config.hpp"

#include <gtest/gtest.h>

#include <cstdlib>

namespace hark::app {
namespace {

bool contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

TEST(LlmConfig, NoTableMeansNoModel) {
  LlmConfig c;
  ASSERT_TRUE(apply_llm_toml("[network]\ntimeout_seconds = 5\n", "hark.toml", c));
  EXPECT_FALSE(c.enabled());
  EXPECT_TRUE(c.snips);
  EXPECT_FALSE(c.highlights);
}

TEST(LlmConfig, ReadsEverySetting) {
  ::setenv("HARK_TEST_LLM_KEY", "sk-from-env", 1);
  LlmConfig c;
  const auto s = apply_llm_toml(R"(
[llm]
url = "http://localhost:11434/v1"
model = "qwen2.5:1.5b"
api_key_env = "HARK_TEST_LLM_KEY"
timeout_seconds = 90
snips = false
highlights = true
)",
                                "hark.toml", c);
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_TRUE(c.enabled());
  EXPECT_EQ(c.endpoint.url, "http://localhost:11434/v1");
  EXPECT_EQ(c.endpoint.model, "qwen2.5:1.5b");
  EXPECT_EQ(c.endpoint.api_key, "sk-from-env");
  EXPECT_EQ(c.endpoint.timeout_ms, 90'000);
  EXPECT_EQ(c.endpoint.source, "hark.toml [llm]");
  EXPECT_FALSE(c.snips);
  EXPECT_TRUE(c.highlights);
  const auto p = llm_http_policy(c, Config{});
  EXPECT_EQ(p.allowed_private_hosts, (std::vector<std::string>{"localhost:11434"}));
  EXPECT_FALSE(p.allow_private_networks);
  EXPECT_EQ(p.low_speed_timeout_ms, 0);
  ::unsetenv("HARK_TEST_LLM_KEY");
}

TEST(LlmConfig, MistakesAreErrorsThatNameTheSetting) {
  const auto error_of = [](const std::string& toml) {
    LlmConfig c;
    auto s = apply_llm_toml(toml, "hark.toml", c);
    return s ? std::string() : s.error().message;
  };
  EXPECT_TRUE(contains(error_of("[llm]\nurl = \"ftp://x\"\nmodel = \"m\"\n"), "'llm.url'"));
  EXPECT_TRUE(contains(error_of("[llm]\nurl = \"http://x/v1\"\n"), "no model"));
  EXPECT_TRUE(contains(error_of("[llm]\nurl = \"http://x/v1\"\nmodel = \"m\"\nmodle = 1\n"),
                       "unknown setting 'llm.modle'"));
  EXPECT_TRUE(contains(error_of("[llm]\ntimeout_seconds = 0\n"), "llm.timeout_seconds"));
  EXPECT_TRUE(contains(error_of("[llm]\nsnips = \"yes\"\n"), "'llm.snips'"));
  EXPECT_TRUE(contains(error_of("[llm]\napi_key_env = \"HARK_TEST_UNSET_VARIABLE\"\n"),
                       "HARK_TEST_UNSET_VARIABLE, which is not set"));
  EXPECT_TRUE(contains(error_of("llm = 3\n"), "'llm' must be a table"));
}

TEST(LlmConfig, TheCommandLineUrlKeepsTheConfiguredModel) {
  LlmConfig c;
  ASSERT_TRUE(
      apply_llm_toml("[llm]\nurl = \"http://gpu:8000/v1\"\nmodel = \"big\"\n", "hark.toml", c));
  ASSERT_TRUE(override_llm_url(c, "http://127.0.0.1:9/v1", "--llm"));
  EXPECT_EQ(c.endpoint.url, "http://127.0.0.1:9/v1");
  EXPECT_EQ(c.endpoint.model, "big");
  EXPECT_EQ(c.endpoint.source, "--llm");
  auto bad = override_llm_url(c, "localhost:9", "--llm");
  ASSERT_FALSE(bad);
  EXPECT_TRUE(contains(bad.error().message, "--llm")) << bad.error().message;

  LlmConfig none;
  auto no_model = override_llm_url(none, "http://127.0.0.1:9/v1", "--llm");
  ASSERT_FALSE(no_model);
  EXPECT_TRUE(contains(no_model.error().message, "HARK_LLM_MODEL")) << no_model.error().message;
}

TEST(LlmConfig, TheEnvironmentOverridesTheFile) {
  ::setenv("HARK_LLM_URL", "http://10.0.0.5:8080/v1", 1);
  ::setenv("HARK_LLM_MODEL", "env-model", 1);
  ::setenv("HARK_LLM_TIMEOUT_SECONDS", "7", 1);
  auto c = load_llm_config(Config{});
  ::unsetenv("HARK_LLM_URL");
  ::unsetenv("HARK_LLM_MODEL");
  ::unsetenv("HARK_LLM_TIMEOUT_SECONDS");
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->endpoint.url, "http://10.0.0.5:8080/v1");
  EXPECT_EQ(c->endpoint.model, "env-model");
  EXPECT_EQ(c->endpoint.timeout_ms, 7000);
  EXPECT_EQ(c->endpoint.source, "HARK_LLM_URL");
}

}  // namespace
}  // namespace hark::app
