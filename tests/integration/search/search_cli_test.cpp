// `hark process` indexes the sample podcast; `hark search` and `hark reindex` from a shell.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "hark_runner.hpp"
#include "temp_dir.hpp"

namespace {

namespace fs = std::filesystem;
using hark::testing::run_hark;

TEST(SearchCli, ProcessIndexesAndSearchLandsOnTheMoment) {
  const char* sample = std::getenv("HARK_SAMPLE_DIR");
  const fs::path feed = fs::path(sample != nullptr ? sample : "") / "feed.xml";
  ASSERT_TRUE(fs::exists(feed)) << "sample podcast missing at " << feed;
  hark::testing::TempDir dir;
  const fs::path data = dir / "data";
  fs::create_directories(data);
  auto run = [&](std::vector<std::string> args) { return run_hark(data, std::move(args)); };
  ASSERT_EQ(run({"add", feed.string()}).exit_code, 0);

  // Nothing is indexed before the episodes are processed.
  auto before = run({"search", "hippocampus", "--json"});
  ASSERT_EQ(before.exit_code, 0) << before.err;
  EXPECT_TRUE(nlohmann::json::parse(before.out)["results"].empty());

  auto processed = run({"process", "--all"});
  ASSERT_EQ(processed.exit_code, 0) << processed.err;

  auto found = run({"search", "hippocampus", "--mode", "lexical", "--json"});
  ASSERT_EQ(found.exit_code, 0) << found.err;
  const auto body = nlohmann::json::parse(found.out);
  EXPECT_EQ(body["mode"], "lexical");
  ASSERT_FALSE(body["results"].empty()) << found.out;
  const auto& hit = body["results"][0];
  EXPECT_EQ(hit["kind"], "passage");
  EXPECT_EQ(hit["episode_title"], "Sleep on It: How Rest Turns Practice into Memory");
  EXPECT_EQ(hit["podcast_title"], "Lantern Hour");
  EXPECT_EQ(hit["speaker"], "Priya Raman");
  // The word is said between 0:26.086 and 0:33.059 (episode1.vtt); the passage holds it.
  EXPECT_LE(hit["start_ms"].get<int>(), 26'086);
  EXPECT_GE(hit["end_ms"].get<int>(), 33'059);
  const int length = hit["end_ms"].get<int>() - hit["start_ms"].get<int>();
  EXPECT_LE(length, 45'000);
  EXPECT_NE(hit["snippet_html"].get<std::string>().find("<mark>hippocampus</mark>"),
            std::string::npos);

  // Hybrid (the default) without an embedding service is full-text, and the JSON says so;
  // semantic is an error that names what to configure.
  auto hybrid = run({"search", "hippocampus", "--json"});
  ASSERT_EQ(hybrid.exit_code, 0) << hybrid.err;
  const auto hybrid_body = nlohmann::json::parse(hybrid.out);
  EXPECT_EQ(hybrid_body["mode"], "lexical");
  ASSERT_TRUE(hybrid_body["notice"].is_string()) << hybrid.out;
  EXPECT_NE(hybrid_body["notice"].get<std::string>().find("no embedding service"),
            std::string::npos);
  EXPECT_EQ(hybrid_body["results"], body["results"]);
  auto semantic = run({"search", "hippocampus", "--mode", "semantic"});
  EXPECT_EQ(semantic.exit_code, 1);
  EXPECT_NE(semantic.err.find("[embeddings]"), std::string::npos) << semantic.err;

  // For people: titles, the time, the matched word marked.
  auto text = run({"search", "hippocampus", "--mode", "lexical"});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("Lantern Hour — Sleep on It"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("[hippocampus]"), std::string::npos) << text.out;

  auto filtered = run({"search", "hippocampus", "--since", "2100-01-01", "--json"});
  ASSERT_EQ(filtered.exit_code, 0) << filtered.err;
  EXPECT_TRUE(nlohmann::json::parse(filtered.out)["results"].empty());

  auto reindexed = run({"reindex", "--json"});
  ASSERT_EQ(reindexed.exit_code, 0) << reindexed.err;
  EXPECT_EQ(nlohmann::json::parse(reindexed.out)["episodes"], 3);

  // Bad input: one line on stderr, exit 1.
  auto hostile = run({"search", "\"\""});
  EXPECT_EQ(hostile.exit_code, 1);
  EXPECT_NE(hostile.err.find("nothing to search for"), std::string::npos) << hostile.err;
  auto bad_date = run({"search", "bees", "--since", "last tuesday"});
  EXPECT_EQ(bad_date.exit_code, 1);
  EXPECT_NE(bad_date.err.find("--since"), std::string::npos) << bad_date.err;
}

}  // namespace
