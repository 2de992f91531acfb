// `hark snip`, `snips`, `highlights` and `summary` on the sample podcast, as from a shell.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "hark_runner.hpp"
#include "loopback_server.hpp"
#include "temp_dir.hpp"

namespace {

namespace fs = std::filesystem;
using hark::testing::HarkRun;
using hark::testing::run_hark;

TEST(SnipsCli, SnipSnipsHighlightsSummary) {
  const char* sample = std::getenv("HARK_SAMPLE_DIR");
  const fs::path feed = fs::path(sample != nullptr ? sample : "") / "feed.xml";
  ASSERT_TRUE(fs::exists(feed)) << "sample podcast missing at " << feed;
  hark::testing::TempDir dir;
  const fs::path data = dir / "data";
  fs::create_directories(data);
  auto run = [&](std::vector<std::string> args) { return run_hark(data, std::move(args)); };
  ASSERT_EQ(run({"add", feed.string()}).exit_code, 0);

  // Before processing: one clear line naming what to run.
  auto early = run({"snip", "1", "--at", "1:00"});
  EXPECT_EQ(early.exit_code, 1);
  EXPECT_EQ(early.err, "hark: episode 1 has no transcript yet (run: hark process 1)\n");

  auto processed = run({"process", "--all"});
  ASSERT_EQ(processed.exit_code, 0) << processed.err;

  auto snipped = run({"snip", "1", "--at", "1:35", "--json"});
  ASSERT_EQ(snipped.exit_code, 0) << snipped.err;
  const auto snip = nlohmann::json::parse(snipped.out);
  for (const char* key : {"id", "episode_id", "start_ms", "end_ms", "title", "summary", "takeaways",
                          "quote", "quote_speaker", "speakers", "engine", "created_at"})
    EXPECT_TRUE(snip.contains(key)) << key;
  EXPECT_EQ(snip["episode_id"], 1);
  EXPECT_FALSE(snip["title"].get<std::string>().empty());
  EXPECT_TRUE(snip["takeaways"].is_array());
  EXPECT_TRUE(snip["speakers"].is_array());

  auto text = run({"snip", "1", "--from", "30", "--to", "75.5"});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("Episode 1, "), std::string::npos) << text.out;

  auto listed = run({"snips", "--json"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_EQ(nlohmann::json::parse(listed.out).size(), 2u);

  auto bad = run({"snip", "1", "--at", "soon"});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.err.find("'soon' is not a time"), std::string::npos) << bad.err;

  auto highlights = run({"highlights", "1", "--json"});
  ASSERT_EQ(highlights.exit_code, 0) << highlights.err;
  EXPECT_FALSE(nlohmann::json::parse(highlights.out).empty());

  auto summary = run({"summary", "1", "--json"});
  ASSERT_EQ(summary.exit_code, 0) << summary.err;
  EXPECT_FALSE(nlohmann::json::parse(summary.out)["abstract"].get<std::string>().empty());
  auto summary_text = run({"summary", "1"});
  ASSERT_EQ(summary_text.exit_code, 0) << summary_text.err;
  EXPECT_NE(summary_text.out.find("Takeaways:"), std::string::npos) << summary_text.out;
}

// A closed port: nothing listens once the loopback server is gone.
int closed_port() {
  hark::testing::LoopbackServer server;
  return server.port();
}

TEST(SnipsCli, TheModelServiceDownGivesAnExtractiveSnipWithTheReason) {
  const char* sample = std::getenv("HARK_SAMPLE_DIR");
  const fs::path feed = fs::path(sample != nullptr ? sample : "") / "feed.xml";
  ASSERT_TRUE(fs::exists(feed)) << "sample podcast missing at " << feed;
  hark::testing::TempDir dir;
  const fs::path data = dir / "data";
  fs::create_directories(data);
  auto run = [&](std::vector<std::string> args) { return run_hark(data, std::move(args)); };
  ASSERT_EQ(run({"add", feed.string()}).exit_code, 0);
  ASSERT_EQ(run({"process", "--all"}).exit_code, 0);
  auto plain = run({"snip", "1", "--at", "1:35", "--json"});
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  const auto extractive = nlohmann::json::parse(plain.out);
  EXPECT_EQ(extractive["engine"], "extractive");
  EXPECT_EQ(extractive["fallback_reason"], "");

  hark::testing::write_file(data / "hark.toml",
                            "[llm]\nurl = \"http://127.0.0.1:8931/v1\"\nmodel = \"tiny\"\n");
  const std::string down = "http://127.0.0.1:" + std::to_string(closed_port()) + "/v1";
  auto snipped = run({"snip", "1", "--at", "1:35", "--json", "--llm", down});
  ASSERT_EQ(snipped.exit_code, 0) << snipped.err;
  const auto snip = nlohmann::json::parse(snipped.out);
  EXPECT_EQ(snip["engine"], "extractive");
  EXPECT_EQ(snip["title"], extractive["title"]);
  EXPECT_EQ(snip["summary"], extractive["summary"]);
  const std::string reason = snip["fallback_reason"];
  EXPECT_NE(reason.find("the language model service at " + down + " could not be used"),
            std::string::npos)
      << reason;
  EXPECT_NE(reason.find("after 3 attempts"), std::string::npos) << reason;

  // Stored with it, and said in the text output too.
  auto listed = run({"snips", "--json"});
  ASSERT_EQ(listed.exit_code, 0);
  EXPECT_EQ(nlohmann::json::parse(listed.out)[0]["fallback_reason"], reason);
  auto text = run({"snip", "1", "--at", "1:35", "--llm", down});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("\nNote: the language model service at"), std::string::npos) << text.out;

  // A configuration mistake is an error naming the setting, and nothing is stored.
  hark::testing::write_file(data / "hark.toml", "[llm]\nurl = \"http://127.0.0.1:8931/v1\"\n");
  auto misconfigured = run({"snip", "1", "--at", "1:35"});
  EXPECT_EQ(misconfigured.exit_code, 1);
  EXPECT_NE(misconfigured.err.find("no model"), std::string::npos) << misconfigured.err;
  hark::testing::write_file(data / "hark.toml", "");
  EXPECT_EQ(nlohmann::json::parse(run({"snips", "--json"}).out).size(), 3U);
}

}  // namespace
