// `hark process` killed with SIGKILL in the middle of a pipeline job: the next run picks
// the job up at once (its owner is dead), finishes the pipeline, and nothing is duplicated.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "hark_runner.hpp"
#include "loopback_server.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "temp_dir.hpp"

namespace hark::testing {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

constexpr int kCues = 400;

std::string make_vtt() {
  std::string vtt = "WEBVTT\n\n";
  for (int i = 0; i < kCues; ++i) {
    const auto ts = [](int ms) {
      char b[32];
      std::snprintf(b, sizeof b, "00:%02d:%02d.%03d", ms / 60000, (ms / 1000) % 60, ms % 1000);
      return std::string(b);
    };
    vtt += ts(i * 2000) + " --> " + ts(i * 2000 + 1900) + "\n<v " +
           std::string(i % 2 ? "Ada Guest" : "Theo Host") + ">Sentence number " +
           std::to_string(i) + " of the transcript.\n\n";
  }
  return vtt;
}

std::string make_feed(const LoopbackServer& server) {
  return "<?xml version=\"1.0\"?><rss version=\"2.0\" "
         "xmlns:podcast=\"https://podcastindex.org/namespace/1.0\"><channel><title>Crash "
         "test</title><item><title>Episode</title><guid>ep-1</guid>"
         "<enclosure url=\"https://cdn.example.com/ep.mp3\" type=\"audio/mpeg\" length=\"1\"/>"
         "<podcast:transcript url=\"" +
         server.url("/ep.vtt") +
         "\" type=\"text/vtt\"/>"
         "<podcast:chapters url=\"" +
         server.url("/ep.chapters.json") +
         "\" type=\"application/json+chapters\"/>"
         "</item></channel></rss>";
}

nlohmann::json jobs(const fs::path& data) {
  auto r = run_hark(data, {"jobs", "--json"});
  return r.exit_code == 0 ? nlohmann::json::parse(r.out) : nlohmann::json::array();
}

TEST(CrashTest, KilledProcessResumesAndCompletesWithoutDuplicates) {
  TempDir dir;
  const fs::path data = dir / "data";
  fs::create_directories(data);
  std::atomic<bool> slow{true};
  LoopbackServer server;
  const std::string vtt = make_vtt();
  server.on("/feed.xml", [&](const ServerRequest&) {
    return ServerResponse{.content_type = "application/rss+xml", .body = make_feed(server)};
  });
  // While `slow`, the transcript arrives a trickle at a time: the job is mid-transfer
  // when the process is killed.
  server.on("/ep.vtt", [&](const ServerRequest&) {
    ServerResponse r{.content_type = "text/vtt", .body = vtt};
    if (slow) {
      r.chunk_bytes = 256;
      r.chunk_delay = 50ms;
    }
    return r;
  });
  server.on("/ep.chapters.json", [&](const ServerRequest&) {
    return ServerResponse{
        .content_type = "application/json",
        .body = R"({"version":"1.2.0","chapters":[{"startTime":0,"title":"Start"},)"
                R"({"startTime":300,"title":"Middle"},{"startTime":600,"title":"End"}]})"};
  });

  auto added = run_hark(data, {"add", server.url("/feed.xml")});
  ASSERT_EQ(added.exit_code, 0) << added.err;

  const pid_t pid = spawn_hark(data, {"process", "--all"});
  ASSERT_GT(pid, 0);
  // Wait until the transcript job is running (leased by the child), then kill it.
  bool running = false;
  for (int i = 0; i < 200 && !running; ++i) {
    std::this_thread::sleep_for(25ms);
    for (const auto& j : jobs(data)) running |= j["state"] == "running";
  }
  ASSERT_TRUE(running) << "the pipeline job never started";
  ASSERT_EQ(::kill(pid, SIGKILL), 0);
  int status = 0;
  ::waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status));

  // The job is still leased by the dead process. A new run reclaims it at once instead of
  // waiting out the lease, and completes the pipeline.
  slow = false;
  const auto started = std::chrono::steady_clock::now();
  auto resumed = run_hark(data, {"process", "--all"});
  EXPECT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_LT(std::chrono::steady_clock::now() - started, 30s) << "waited for the lease to expire";

  for (const auto& j : jobs(data)) EXPECT_EQ(j["state"], "done") << j.dump();

  auto store = store::sqlite::open(data / "hark.db");
  ASSERT_TRUE(store) << store.error().message;
  auto episodes = (*store)->episodes().list();
  ASSERT_EQ(episodes->size(), 1u);
  const Id id = (*episodes)[0].id;
  auto transcript = (*store)->transcripts().find(id);
  ASSERT_TRUE(transcript && transcript->has_value());
  EXPECT_EQ((**transcript).segments.size(), static_cast<std::size_t>(kCues));
  EXPECT_EQ((*store)->chapters().list(id)->size(), 3u);
  EXPECT_EQ(*(*store)->integrity_check(), "ok");
}

}  // namespace
}  // namespace hark::testing
