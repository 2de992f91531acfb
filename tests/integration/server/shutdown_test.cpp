// `hark serve` as a process: SIGTERM while a pipeline job is running stops accepting,
// stops the worker (which hands the job back to the queue with its attempt refunded),
// closes the store and exits 0.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <chrono>
#include <thread>

#include "app/pipeline.hpp"
#include "hark_runner.hpp"
#include "http_probe.hpp"
#include "loopback_server.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "temp_dir.hpp"

extern char** environ;

namespace hark::testing {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

std::string make_vtt(int cues) {
  std::string vtt = "WEBVTT\n\n";
  for (int i = 0; i < cues; ++i) {
    char ts[64];
    std::snprintf(ts, sizeof ts, "00:%02d:%02d.000 --> 00:%02d:%02d.900\n", i / 60, i % 60, i / 60,
                  i % 60);
    vtt += ts + std::string("Sentence number ") + std::to_string(i) + ".\n\n";
  }
  return vtt;
}

// The port from the "listening on http://127.0.0.1:PORT" line, or 0.
int wait_for_port(const fs::path& log) {
  for (int i = 0; i < 400; ++i) {
    const auto text = read_file(log);
    const auto at = text.find("listening on http://127.0.0.1:");
    if (at != std::string::npos) return std::atoi(text.c_str() + at + 30);
    std::this_thread::sleep_for(25ms);
  }
  return 0;
}

TEST(ShutdownTest, SigtermReleasesTheLeasedJobAndExitsCleanly) {
  TempDir dir;
  const fs::path data = dir / "data";
  fs::create_directories(data);
  // The job fetches its transcript a trickle at a time, so it is mid-transfer at SIGTERM.
  LoopbackServer feeds;
  const std::string vtt = make_vtt(300);
  const std::string feed =
      "<?xml version=\"1.0\"?><rss version=\"2.0\" "
      "xmlns:podcast=\"https://podcastindex.org/namespace/1.0\">"
      "<channel><title>Slow</title><item><title>Episode</title><guid>ep-1</guid>"
      "<enclosure url=\"https://cdn.example.com/ep.mp3\" type=\"audio/mpeg\" length=\"1\"/>"
      "<podcast:transcript url=\"" +
      feeds.url("/ep.vtt") + "\" type=\"text/vtt\"/></item></channel></rss>";
  feeds.on("/feed.xml", [&](const ServerRequest&) {
    return ServerResponse{.content_type = "application/rss+xml", .body = feed};
  });
  feeds.on("/ep.vtt", [&](const ServerRequest&) {
    return ServerResponse{
        .content_type = "text/vtt", .body = vtt, .chunk_bytes = 256, .chunk_delay = 50ms};
  });
  ASSERT_EQ(run_hark(data, {"add", feeds.url("/feed.xml")}).exit_code, 0);
  // The server may fetch from loopback (the test's feed server), and refreshes never.
  write_file(data / "hark.toml", "[server]\nallow_private_networks = true\nrefresh_minutes = 0\n");

  Id job_id = 0;
  {
    auto store = store::sqlite::open(data / "hark.db");
    ASSERT_TRUE(store);
    auto episodes = (*store)->episodes().list();
    ASSERT_EQ(episodes->size(), 1u);
    auto job = app::enqueue_episode(**store, (*episodes)[0].id);
    ASSERT_TRUE(job);
    job_id = job->id;
  }

  const pid_t pid = spawn_hark(data, {"serve", "--listen", "127.0.0.1:0", "--workers", "1"});
  ASSERT_GT(pid, 0);
  const int port = wait_for_port(data / "bg-stderr.txt");
  ASSERT_GT(port, 0) << read_file(data / "bg-stderr.txt");
  EXPECT_EQ(http_request(port, "GET", "/api/session").status, 200);

  // Wait until the worker has leased the job.
  bool running = false;
  for (int i = 0; i < 400 && !running; ++i) {
    std::this_thread::sleep_for(25ms);
    auto store = store::sqlite::open(data / "hark.db");
    if (!store) continue;
    auto job = (*store)->jobs().find(job_id);
    running = job && job->state == store::JobState::Running;
  }
  ASSERT_TRUE(running) << "the job never started";

  ASSERT_EQ(::kill(pid, SIGTERM), 0);
  int status = 0;
  ::waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status)) << "killed by a signal";
  EXPECT_EQ(WEXITSTATUS(status), 0) << read_file(data / "bg-stderr.txt");
  const auto log = read_file(data / "bg-stderr.txt");
  EXPECT_NE(log.find("SIGTERM"), std::string::npos) << log;
  EXPECT_NE(log.find("stopped"), std::string::npos) << log;
  EXPECT_EQ(http_request(port, "GET", "/api/session").status, 0);  // no longer accepting

  auto store = store::sqlite::open(data / "hark.db");
  ASSERT_TRUE(store);
  auto job = (*store)->jobs().find(job_id);
  ASSERT_TRUE(job);
  EXPECT_EQ(job->state, store::JobState::Queued);
  EXPECT_EQ(job->attempts, 0) << "the interrupted attempt must not count";
  EXPECT_EQ(job->lease_owner, "");
  EXPECT_EQ(*(*store)->integrity_check(), "ok");
}

// Runs hark with standard input from `input` (a file); returns exit code and stdout.
std::pair<int, std::string> run_with_stdin(const fs::path& data,
                                           const std::vector<std::string>& args,
                                           const fs::path& input) {
  std::vector<std::string> argv_s = {HARK_BINARY_DIR "/hark", "--data", data.string()};
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_s) argv.push_back(a.data());
  argv.push_back(nullptr);
  const fs::path out = data / "user-out.txt", err = data / "user-err.txt";
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, input.c_str(), O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&fa, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, argv[0], &fa, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0) return {-1, ""};
  int status = 0;
  ::waitpid(pid, &status, 0);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, read_file(out) + read_file(err)};
}

TEST(UserCommandTest, AccountsMadeOnTheCommandLineWorkOnTheServer) {
  TempDir dir;
  const fs::path data = dir / "data";
  fs::create_directories(data);
  write_file(data / "pw.txt", "a long password\n");
  write_file(data / "short.txt", "short\n");
  write_file(data / "empty.txt", "");

  auto added = run_with_stdin(data, {"user", "add", "alice", "--admin", "--password-stdin"},
                              data / "pw.txt");
  ASSERT_EQ(added.first, 0) << added.second;
  EXPECT_EQ(
      run_with_stdin(data, {"user", "add", "alice", "--password-stdin"}, data / "pw.txt").first, 1);
  EXPECT_EQ(
      run_with_stdin(data, {"user", "add", "bob", "--password-stdin"}, data / "short.txt").first,
      1);
  // No terminal and no --password-stdin: a clear error, not a hang.
  auto no_tty = run_with_stdin(data, {"user", "add", "carol"}, data / "empty.txt");
  EXPECT_EQ(no_tty.first, 1);
  EXPECT_NE(no_tty.second.find("--password-stdin"), std::string::npos) << no_tty.second;

  auto listed = run_with_stdin(data, {"user", "list", "--json"}, data / "empty.txt");
  ASSERT_EQ(listed.first, 0);
  EXPECT_NE(listed.second.find(R"("can_log_in": true)"), std::string::npos) << listed.second;
  auto token =
      run_with_stdin(data, {"user", "token", "alice", "--name", "script"}, data / "empty.txt");
  ASSERT_EQ(token.first, 0) << token.second;
  const std::string secret = read_file(data / "user-out.txt").substr(0, 43);
  ASSERT_EQ(secret.size(), 43u);
  auto passwd =
      run_with_stdin(data, {"user", "passwd", "alice", "--password-stdin"}, data / "pw.txt");
  EXPECT_EQ(passwd.first, 0) << passwd.second;

  const pid_t pid = spawn_hark(data, {"serve", "--listen", "127.0.0.1:0"});
  ASSERT_GT(pid, 0);
  const int port = wait_for_port(data / "bg-stderr.txt");
  ASSERT_GT(port, 0) << read_file(data / "bg-stderr.txt");
  // An account can log in, so no setup code is offered.
  EXPECT_EQ(read_file(data / "bg-stderr.txt").find("setup?code="), std::string::npos);
  auto session = http_request(port, "GET", "/api/session", {{"Authorization", "Bearer " + secret}});
  EXPECT_NE(session.body.find(R"("authenticated":true)"), std::string::npos) << session.body;
  auto login = http_request(port, "POST", "/api/login", {{"Content-Type", "application/json"}},
                            R"({"name":"alice","password":"a long password"})");
  EXPECT_EQ(login.status, 200) << login.body;
  ::kill(pid, SIGINT);
  int status = 0;
  ::waitpid(pid, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

TEST(UserCommandTest, FirstRunPrintsASetupUrl) {
  TempDir dir;
  const fs::path data = dir / "data";
  fs::create_directories(data);
  const pid_t pid = spawn_hark(data, {"serve", "--listen", "127.0.0.1:0"});
  ASSERT_GT(pid, 0);
  const int port = wait_for_port(data / "bg-stderr.txt");
  ASSERT_GT(port, 0);
  const auto log = read_file(data / "bg-stderr.txt");
  const auto at = log.find("/setup?code=");
  ASSERT_NE(at, std::string::npos) << log;
  EXPECT_NE(log.find("hark user add"), std::string::npos);
  ::kill(pid, SIGTERM);
  int status = 0;
  ::waitpid(pid, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

}  // namespace
}  // namespace hark::testing
