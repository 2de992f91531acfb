// End-to-end tests of the `hark` binary: real SQLite, real files, real feeds.

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "hark_runner.hpp"
#include "temp_dir.hpp"

namespace {

namespace fs = std::filesystem;
using hark::testing::HarkRun;
using hark::testing::run_hark;

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    data_ = dir_ / "data";
    fs::create_directories(data_);
  }

  HarkRun hark(std::vector<std::string> args) { return run_hark(data_, std::move(args)); }
  nlohmann::json json_of(std::vector<std::string> args) {
    auto r = hark(std::move(args));
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return nlohmann::json::parse(r.out);
  }
  fs::path write(const std::string& name, const std::string& content) {
    const auto p = dir_ / name;
    hark::testing::write_file(p, content);
    return p;
  }

  hark::testing::TempDir dir_;
  fs::path data_;
};

const char* sample_dir() {
  const char* d = std::getenv("HARK_SAMPLE_DIR");
  return d != nullptr ? d : "";
}

TEST_F(CliTest, SamplePodcastIsAddedWithTranscriptsAndChapters) {
  const fs::path feed = fs::path(sample_dir()) / "feed.xml";
  ASSERT_TRUE(fs::exists(feed)) << "sample podcast missing at " << feed;
  auto added = hark({"add", feed.string()});
  ASSERT_EQ(added.exit_code, 0) << added.err;
  EXPECT_NE(added.out.find("Added"), std::string::npos);

  auto podcasts = json_of({"podcasts", "--json"});
  ASSERT_EQ(podcasts.size(), 1u);
  EXPECT_FALSE(podcasts[0]["title"].get<std::string>().empty());
  EXPECT_EQ(podcasts[0]["episodes"], 3);
  EXPECT_TRUE(podcasts[0]["last_error"].is_null());

  auto episodes = json_of({"episodes", "--json"});
  ASSERT_EQ(episodes.size(), 3u);
  for (const auto& e : episodes) {
    for (const char* key : {"id", "podcast_id", "guid", "title", "published", "duration_ms",
                            "enclosure_url", "transcripts", "chapters_url"})
      EXPECT_TRUE(e.contains(key)) << key;
    ASSERT_FALSE(e["transcripts"].empty());
    EXPECT_EQ(e["transcripts"][0]["type"], "text/vtt");
    EXPECT_EQ(e["transcripts"][0]["language"], "en");
    EXPECT_TRUE(e["chapters_url"].is_string());
    EXPECT_GT(e["duration_ms"].get<long>(), 60'000);
  }
  // Newest first.
  EXPECT_GE(episodes[0]["published"].get<std::string>(),
            episodes[1]["published"].get<std::string>());

  // Downloading copies the audio into the data directory.
  const auto id = std::to_string(episodes[0]["id"].get<long>());
  auto dl = json_of({"download", id, "--json"});
  EXPECT_TRUE(fs::exists(dl["download_path"].get<std::string>()));
  EXPECT_GT(dl["download_size"].get<long>(), 10'000);

  // Adding again is harmless: same podcast, no duplicate episodes.
  auto again = hark({"add", feed.string()});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(json_of({"episodes", "--json"}).size(), 3u);
}

TEST_F(CliTest, HtmlPageIsRefusedAndNothingIsStored) {
  const auto page = write("page.xml",
                          "<!DOCTYPE html><html><head><title>Just a moment...</title></head>"
                          "<body>Checking your browser</body></html>");
  auto r = hark({"add", page.string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("hark: "), std::string::npos);
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << "one line: " << r.err;
  EXPECT_TRUE(json_of({"podcasts", "--json"}).empty());
}

TEST_F(CliTest, MissingFileAndBadIdsGiveOneLineErrors) {
  auto r = hark({"add", (dir_ / "nope.xml").string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_FALSE(r.err.empty());
  r = hark({"episodes", "999"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("999"), std::string::npos);
  r = hark({"download", "12345"});
  EXPECT_EQ(r.exit_code, 1);
}

TEST_F(CliTest, OpmlRoundTripAndRefreshRecordsErrors) {
  const std::string item =
      "<item><title>E1</title><guid>e1</guid><enclosure url=\"https://x.test/e1.mp3\" "
      "type=\"audio/mpeg\" length=\"1\"/></item>";
  const auto a = write(
      "a.xml", "<rss version=\"2.0\"><channel><title>Alpha</title>" + item + "</channel></rss>");
  const auto b = write(
      "b.xml", "<rss version=\"2.0\"><channel><title>Beta</title>" + item + "</channel></rss>");
  const auto opml =
      write("subs.opml",
            "<?xml version=\"1.0\"?><opml version=\"2.0\"><body>"
            "<outline text=\"folder\"><outline type=\"rss\" text=\"A\" xmlUrl=\"file://" +
                a.string() + "\"/></outline><outline type=\"rss\" text=\"B\" xmlUrl=\"file://" +
                b.string() + "\"/></body></opml>");
  auto imported = json_of({"import", opml.string(), "--json"});
  EXPECT_EQ(imported["added"].size(), 2u);

  auto exported = hark({"export-opml"});
  ASSERT_EQ(exported.exit_code, 0);
  EXPECT_NE(exported.out.find(a.string()), std::string::npos);
  EXPECT_NE(exported.out.find(b.string()), std::string::npos);

  // Break one feed: the refresh reports it, keeps its episodes, and records the error.
  fs::remove(b);
  auto refreshed = hark({"refresh", "--json"});
  EXPECT_EQ(refreshed.exit_code, 0) << refreshed.err;
  auto podcasts = json_of({"podcasts", "--json"});
  int with_error = 0;
  for (const auto& p : podcasts) {
    EXPECT_EQ(p["episodes"], 1);
    if (!p["last_error"].is_null()) ++with_error;
  }
  EXPECT_EQ(with_error, 1);
}

TEST(CliPipelineTest, ProcessAllStoresTranscriptsAndChaptersOfTheSample) {
  hark::testing::TempDir dir;
  const fs::path data = dir / "data";
  fs::create_directories(data);
  const auto run = [&](std::vector<std::string> args) { return run_hark(data, std::move(args)); };
  const auto json_of = [&](std::vector<std::string> args) {
    auto r = run(std::move(args));
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return nlohmann::json::parse(r.out);
  };
  const fs::path feed = fs::path(sample_dir()) / "feed.xml";
  ASSERT_TRUE(fs::exists(feed)) << "sample podcast missing at " << feed;
  ASSERT_EQ(run({"add", feed.string()}).exit_code, 0);

  // Before processing, asking for a transcript says what to do.
  auto missing = run({"transcript", "1"});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("has no transcript yet (run: hark process 1)"), std::string::npos)
      << missing.err;

  auto processed = run({"process", "--all"});
  ASSERT_EQ(processed.exit_code, 0) << processed.err;
  // 3 episodes x 4 steps (transcript, index, chapters, insights).
  EXPECT_NE(processed.out.find("12 jobs done, 0 failed"), std::string::npos) << processed.out;

  for (const auto& e : json_of({"episodes", "--json"})) {
    const auto id = std::to_string(e["id"].get<long>());
    EXPECT_EQ(run({"transcript", id}).exit_code, 0) << "episode " << id;
    EXPECT_GE(json_of({"chapters", id, "--json"}).size(), 2u) << "episode " << id;
  }

  auto transcript = run({"transcript", "1", "--format", "json"});
  ASSERT_EQ(transcript.exit_code, 0) << transcript.err;
  const auto segments = nlohmann::json::parse(transcript.out)["segments"];
  ASSERT_FALSE(segments.empty());
  bool host_named = false;
  for (const auto& s : segments) host_named = host_named || s["speaker"] == "Theo Marsh";
  EXPECT_TRUE(host_named);

  auto chapters = json_of({"chapters", "1", "--json"});
  ASSERT_EQ(chapters.size(), 5u);
  for (const auto& c : chapters) {
    EXPECT_EQ(c["source"], "publisher");
    for (const char* key : {"start_ms", "end_ms", "title", "url"})
      EXPECT_TRUE(c.contains(key)) << key;
  }

  auto jobs = json_of({"jobs", "--json"});
  ASSERT_EQ(jobs.size(), 12u);
  for (const auto& j : jobs) {
    EXPECT_EQ(j["state"], "done") << j.dump();
    EXPECT_TRUE(j["error"].is_null()) << j.dump();
    EXPECT_TRUE(j["episode"].is_number()) << j.dump();
  }
}

}  // namespace
