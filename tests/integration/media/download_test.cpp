// media::download against a real HTTP server on loopback.
#include "media/download.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <spawn.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <random>
#include <thread>

#include "loopback_server.hpp"
#include "temp_dir.hpp"

extern char** environ;

namespace hark::media {
namespace {

namespace fs = std::filesystem;
using hark::testing::LoopbackServer;
using hark::testing::read_file;
using hark::testing::ServerRequest;
using hark::testing::ServerResponse;
using hark::testing::write_file;
using namespace std::chrono_literals;

// An "MP3": an ID3v2 header followed by incompressible bytes.
std::string fake_mp3(std::size_t size) {
  std::string data = std::string("ID3\x04\x00\x00\x00\x00\x00\x00", 10);
  std::mt19937 random(42);
  while (data.size() < size) data.push_back(static_cast<char>(random() & 0xFF));
  return data;
}

bool contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

fs::path part_of(const fs::path& dest) {
  return fs::path(dest.string() + ".part");
}

// Compares file content without printing megabytes of binary on failure.
::testing::AssertionResult has_content(const fs::path& path, std::string_view expected) {
  const std::string actual = read_file(path);
  if (actual == expected) return ::testing::AssertionSuccess();
  std::size_t first_difference = 0;
  while (first_difference < std::min(actual.size(), expected.size()) &&
         actual[first_difference] == expected[first_difference])
    ++first_difference;
  return ::testing::AssertionFailure()
         << path << " holds " << actual.size() << " bytes, expected " << expected.size()
         << "; first difference at byte " << first_difference;
}

class DownloadTest : public ::testing::Test {
 protected:
  DownloadTest() {
    net::Policy policy;
    policy.allow_private_networks = true;  // the test server is on loopback
    policy.connect_timeout_ms = 2'000;
    policy.low_speed_timeout_ms = 5'000;
    http = net::make_http_client(policy);
  }

  // Serves `data` at /ep.mp3 with Range support, `chunk_bytes` at a time.
  void serve(std::size_t chunk_bytes = 0, std::chrono::milliseconds delay = 0ms,
             bool honour_range = true) {
    server.on("/ep.mp3", [=, this](const ServerRequest& request) {
      auto response = hark::testing::serve_bytes(request, data, "audio/mpeg", honour_range);
      response.chunk_bytes = chunk_bytes;
      response.chunk_delay = delay;
      return response;
    });
  }

  LoopbackServer server;  // before the client, so the client's connections close first
  std::unique_ptr<net::HttpClient> http;
  hark::testing::TempDir dir;
  const std::string data = fake_mp3(256 * 1024);
  const fs::path dest = dir / "episode.mp3";
};

TEST_F(DownloadTest, DownloadsIntoPlaceAndReportsTheSniffedType) {
  serve();
  std::int64_t last_done = 0, last_total = 0;
  DownloadOptions options;
  options.progress = [&](std::int64_t done, std::int64_t total) {
    last_done = done;
    last_total = total;
    return true;
  };
  const auto file = download(*http, server.url("/ep.mp3"), dest, options);
  ASSERT_TRUE(file) << file.error().message;
  EXPECT_EQ(file->path, dest);
  EXPECT_EQ(file->size, static_cast<std::int64_t>(data.size()));
  EXPECT_EQ(file->content_type, "audio/mpeg");
  EXPECT_FALSE(file->resumed);
  EXPECT_TRUE(has_content(dest, data));
  EXPECT_FALSE(fs::exists(part_of(dest)));
  EXPECT_EQ(last_done, static_cast<std::int64_t>(data.size()));
  EXPECT_EQ(last_total, static_cast<std::int64_t>(data.size()));
}

TEST_F(DownloadTest, ExistingDestinationIsReturnedWithoutATransfer) {
  serve();
  ASSERT_TRUE(download(*http, server.url("/ep.mp3"), dest, {}));
  const auto again = download(*http, server.url("/ep.mp3"), dest, {});
  ASSERT_TRUE(again);
  EXPECT_EQ(again->size, static_cast<std::int64_t>(data.size()));
  EXPECT_EQ(again->content_type, "audio/mpeg");
  EXPECT_EQ(server.requests().size(), 1u);
}

TEST_F(DownloadTest, CancelledDownloadResumesWithARangeRequest) {
  serve(16 * 1024, 2ms);
  DownloadOptions cancel_early;
  cancel_early.progress = [](std::int64_t done, std::int64_t) { return done < 64 * 1024; };
  const auto first = download(*http, server.url("/ep.mp3"), dest, cancel_early);
  ASSERT_FALSE(first);
  EXPECT_EQ(first.error().code, ErrorCode::Cancelled);
  EXPECT_FALSE(fs::exists(dest));
  const auto partial = static_cast<std::int64_t>(fs::file_size(part_of(dest)));
  ASSERT_GE(partial, 64 * 1024);
  ASSERT_LT(partial, static_cast<std::int64_t>(data.size()));

  std::int64_t first_report = -1;
  DownloadOptions watch;
  watch.progress = [&](std::int64_t done, std::int64_t) {
    if (first_report < 0) first_report = done;
    return true;
  };
  const auto second = download(*http, server.url("/ep.mp3"), dest, watch);
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_TRUE(second->resumed);
  EXPECT_EQ(server.requests().back().header("range"), "bytes=" + std::to_string(partial) + "-");
  EXPECT_GE(first_report, partial);  // progress counts the bytes already on disk
  EXPECT_TRUE(has_content(dest, data));
  EXPECT_FALSE(fs::exists(part_of(dest)));
}

TEST_F(DownloadTest, ServerThatIgnoresRangeRestartsFromZero) {
  serve(0, 0ms, /*honour_range=*/false);
  write_file(part_of(dest), std::string(10'000, 'X'));  // a stale part that must not survive
  const auto file = download(*http, server.url("/ep.mp3"), dest, {});
  ASSERT_TRUE(file) << file.error().message;
  EXPECT_FALSE(file->resumed);
  EXPECT_EQ(server.requests().back().header("range"), "bytes=10000-");
  EXPECT_TRUE(has_content(dest, data));
}

TEST_F(DownloadTest, RangeNotSatisfiableWithAMatchingSizeMeansThePartIsComplete) {
  serve();
  write_file(part_of(dest), data);
  const auto file = download(*http, server.url("/ep.mp3"), dest, {});
  ASSERT_TRUE(file) << file.error().message;
  EXPECT_EQ(server.requests().size(), 1u);
  EXPECT_EQ(server.body_bytes_sent(), 0);
  EXPECT_TRUE(has_content(dest, data));
}

TEST_F(DownloadTest, RangeNotSatisfiableWithAnotherSizeRestarts) {
  serve();
  write_file(part_of(dest), data + "trailing junk");
  const auto file = download(*http, server.url("/ep.mp3"), dest, {});
  ASSERT_TRUE(file) << file.error().message;
  const auto seen = server.requests();
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[1].header("range"), "");
  EXPECT_TRUE(has_content(dest, data));
}

TEST_F(DownloadTest, HtmlPageServedAsMp3IsRefusedAndLeavesNoFile) {
  server.on("/ep.mp3", [](const ServerRequest&) {
    ServerResponse response;
    response.content_type = "text/html";
    response.body = "<!DOCTYPE html>\n<html><body>Please log in</body></html>";
    return response;
  });
  const auto file = download(*http, server.url("/ep.mp3"), dest, {});
  ASSERT_FALSE(file);
  EXPECT_EQ(file.error().code, ErrorCode::InvalidInput);
  EXPECT_EQ(file.error().message,
            "the server sent a web page instead of audio for " + server.url("/ep.mp3"));
  EXPECT_FALSE(fs::exists(dest));
  EXPECT_FALSE(fs::exists(part_of(dest)));
}

TEST_F(DownloadTest, JsonErrorIsRefused) {
  server.on("/ep.mp3", [](const ServerRequest&) {
    ServerResponse response;
    response.content_type = "application/json";
    response.body = R"({"error": "token expired"})";
    return response;
  });
  const auto file = download(*http, server.url("/ep.mp3"), dest, {});
  ASSERT_FALSE(file);
  EXPECT_TRUE(contains(file.error().message, "text instead of audio"));
  EXPECT_FALSE(fs::exists(dest));
}

TEST_F(DownloadTest, FileOverTheCapIsRefusedWithOrWithoutContentLength) {
  DownloadOptions options;
  options.max_bytes = 100 * 1024;
  serve();
  const auto declared = download(*http, server.url("/ep.mp3"), dest, options);
  ASSERT_FALSE(declared);
  EXPECT_EQ(declared.error().message, "the response is larger than 100 KB");

  server.on("/stream.mp3", [this](const ServerRequest&) {
    ServerResponse response;
    response.content_type = "audio/mpeg";
    response.body = data;
    response.chunked_encoding = true;
    response.chunk_bytes = 16 * 1024;
    return response;
  });
  const auto streamed = download(*http, server.url("/stream.mp3"), dest, options);
  ASSERT_FALSE(streamed);
  EXPECT_EQ(streamed.error().message, "the response is larger than 100 KB");
  EXPECT_FALSE(fs::exists(dest));
  EXPECT_FALSE(fs::exists(part_of(dest)));
}

TEST_F(DownloadTest, MissingEpisodeIsNotFound) {
  const auto file = download(*http, server.url("/gone.mp3"), dest, {});
  ASSERT_FALSE(file);
  EXPECT_EQ(file.error().code, ErrorCode::NotFound);
  EXPECT_TRUE(contains(file.error().message, "404 Not Found"));
  EXPECT_FALSE(fs::exists(dest));
  EXPECT_FALSE(fs::exists(part_of(dest)));
}

TEST_F(DownloadTest, FollowsRedirectsToTheMedia) {
  serve();
  server.on("/enclosure", [this](const ServerRequest&) {
    ServerResponse response;
    response.status = 302;
    response.headers.emplace_back("Location", server.url("/ep.mp3"));
    return response;
  });
  const auto file = download(*http, server.url("/enclosure"), dest, {});
  ASSERT_TRUE(file) << file.error().message;
  EXPECT_TRUE(has_content(dest, data));
}

TEST_F(DownloadTest, PrivateAddressesAreRefusedByAStrictClient) {
  serve();
  const auto strict = net::make_http_client(net::Policy{});
  const auto file = download(*strict, server.url("/ep.mp3"), dest, {});
  ASSERT_FALSE(file);
  EXPECT_EQ(file.error().code, ErrorCode::Forbidden);
  EXPECT_TRUE(server.requests().empty());
  EXPECT_FALSE(fs::exists(dest));
}

TEST_F(DownloadTest, ConcurrentDownloadToTheSameDestinationIsAConflict) {
  serve();
  const int fd = ::open(part_of(dest).c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::flock(fd, LOCK_EX), 0);
  const auto file = download(*http, server.url("/ep.mp3"), dest, {});
  ::close(fd);
  ASSERT_FALSE(file);
  EXPECT_EQ(file.error().code, ErrorCode::Conflict);
  EXPECT_TRUE(server.requests().empty());
}

TEST(LocalDownload, LocalFilesFollowThePolicy) {
  hark::testing::TempDir dir;
  const std::string data = fake_mp3(70'000);
  write_file(dir / "source.mp3", data);
  net::Policy policy;
  policy.allow_local_files = true;
  const auto http = net::make_http_client(policy);
  const auto file = download(*http, (dir / "source.mp3").string(), dir / "copy.mp3", {});
  ASSERT_TRUE(file) << file.error().message;
  EXPECT_TRUE(has_content(dir / "copy.mp3", data));

  write_file(dir / "resumed.mp3.part", data.substr(0, 1'000));
  const auto resumed =
      download(*http, "file://" + (dir / "source.mp3").string(), dir / "resumed.mp3", {});
  ASSERT_TRUE(resumed) << resumed.error().message;
  EXPECT_TRUE(resumed->resumed);
  EXPECT_TRUE(has_content(dir / "resumed.mp3", data));

  const auto strict = net::make_http_client(net::Policy{});
  const auto refused = download(*strict, (dir / "source.mp3").string(), dir / "no.mp3", {});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::Forbidden);
  EXPECT_FALSE(fs::exists(dir / "no.mp3"));
}

// --- a process killed mid-download ----------------------------------------------------

pid_t spawn_probe(const std::string& url, const fs::path& dest) {
  std::string probe = HARK_DOWNLOAD_PROBE;
  std::string url_arg = url;
  std::string dest_arg = dest.string();
  char* argv[] = {probe.data(), url_arg.data(), dest_arg.data(), nullptr};
  pid_t pid = -1;
  if (::posix_spawn(&pid, probe.c_str(), nullptr, nullptr, argv, environ) != 0) return -1;
  return pid;
}

int wait_exit_code(pid_t pid) {
  int status = 0;
  if (::waitpid(pid, &status, 0) != pid) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

std::int64_t size_or_zero(const fs::path& path) {
  std::error_code ec;
  const auto size = fs::file_size(path, ec);
  return ec ? 0 : static_cast<std::int64_t>(size);
}

TEST_F(DownloadTest, KilledProcessLeavesOnlyAPartThatTheNextRunResumes) {
  std::atomic<bool> throttle{true};
  server.on("/ep.mp3", [this, &throttle](const ServerRequest& request) {
    auto response = hark::testing::serve_bytes(request, data, "audio/mpeg");
    if (throttle) {
      response.chunk_bytes = 8 * 1024;
      response.chunk_delay = 20ms;  // the whole file would take about 0.6 s
    }
    return response;
  });

  const pid_t first = spawn_probe(server.url("/ep.mp3"), dest);
  ASSERT_GT(first, 0);
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (size_or_zero(part_of(dest)) < 64 * 1024 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(2ms);
  ::kill(first, SIGKILL);
  EXPECT_EQ(wait_exit_code(first), 128 + SIGKILL);

  EXPECT_FALSE(fs::exists(dest));
  const std::int64_t partial = size_or_zero(part_of(dest));
  ASSERT_GE(partial, 64 * 1024);
  ASSERT_LT(partial, static_cast<std::int64_t>(data.size()));
  EXPECT_TRUE(has_content(part_of(dest), data.substr(0, static_cast<std::size_t>(partial))));

  throttle = false;
  const pid_t second = spawn_probe(server.url("/ep.mp3"), dest);
  ASSERT_GT(second, 0);
  EXPECT_EQ(wait_exit_code(second), 0);
  EXPECT_EQ(server.requests().back().header("range"), "bytes=" + std::to_string(partial) + "-");
  EXPECT_TRUE(has_content(dest, data));
  EXPECT_FALSE(fs::exists(part_of(dest)));
}

}  // namespace
}  // namespace hark::media
