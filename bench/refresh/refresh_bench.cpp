// Refresh benchmark: N feeds served by a real HTTP server on loopback. Subscribes to all of
// them (OPML import), then refreshes the whole library twice: most feeds answer 304 Not
// Modified, a share of them publish a new episode each time. Prints wall-clock figures.
//
//   build/bench/refresh/hark_bench_refresh [feeds=1000] [changed_percent=5] [episodes=30]
//   [per_host=16]
//
// Every feed is on one loopback server, so the per-host limit bounds the whole run: 16
// stands for feeds spread over many hosts; 4 (hark's default) is the one-host worst case.
#include <httplib.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "app/library.hpp"
#include "net/http_client.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace {

std::string make_feed(int feed, int episodes, int generation) {
  std::string x;
  x.reserve(static_cast<std::size_t>(episodes) * 700);
  x += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\" "
       "xmlns:itunes=\"http://www.itunes.com/dtds/podcast-1.0.dtd\"><channel>";
  x += "<title>Bench podcast " + std::to_string(feed) + "</title><link>https://example.com/" +
       std::to_string(feed) + "</link><description>A generated podcast.</description>";
  const int total = episodes + generation;
  for (int e = total; e >= 1; --e) {
    const auto id = std::to_string(feed) + "-" + std::to_string(e);
    x += "<item><title>Episode " + std::to_string(e) + " of podcast " + std::to_string(feed) +
         "</title><guid isPermaLink=\"false\">" + id + "</guid>";
    x += "<pubDate>Mon, 0" + std::to_string(1 + e % 9) + " Jan 2024 10:00:00 GMT</pubDate>";
    x += "<description>Show notes for episode " + id +
         ". We talk about things, people and ideas at some length.</description>";
    x += "<enclosure url=\"https://cdn.example.com/" + id +
         ".mp3\" length=\"12345678\" "
         "type=\"audio/mpeg\"/><itunes:duration>45:00</itunes:duration></item>";
  }
  x += "</channel></rss>";
  return x;
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

int main(int argc, char** argv) {
  const int feeds = argc > 1 ? std::atoi(argv[1]) : 1000;
  const int changed_percent = argc > 2 ? std::atoi(argv[2]) : 5;
  const int episodes = argc > 3 ? std::atoi(argv[3]) : 30;
  const int per_host = argc > 4 ? std::atoi(argv[4]) : 16;

  // generation[i] grows when feed i "publishes"; the ETag follows it.
  std::vector<std::atomic<int>> generation(static_cast<std::size_t>(feeds));
  std::atomic<long> full_responses{0}, not_modified{0};

  httplib::Server server;
  server.new_task_queue = [] { return new httplib::ThreadPool(64); };
  server.Get(R"(/feeds/(\d+)\.xml)", [&](const httplib::Request& req, httplib::Response& res) {
    const int i = std::atoi(req.matches[1].str().c_str());
    if (i < 0 || i >= feeds) {
      res.status = 404;
      return;
    }
    const int gen = generation[static_cast<std::size_t>(i)].load();
    const auto etag = "\"f" + std::to_string(i) + "g" + std::to_string(gen) + "\"";
    res.set_header("ETag", etag);
    if (req.get_header_value("If-None-Match") == etag) {
      res.status = 304;
      ++not_modified;
      return;
    }
    ++full_responses;
    res.set_content(make_feed(i, episodes, gen), "application/rss+xml");
  });
  const int port = server.bind_to_any_port("127.0.0.1");
  std::thread server_thread([&] { server.listen_after_bind(); });
  while (!server.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));

  char tmpl[] = "/tmp/hark-bench-refresh-XXXXXX";
  const std::filesystem::path dir = mkdtemp(tmpl);
  auto store = hark::store::sqlite::open(dir / "hark.db");
  if (!store) {
    std::fprintf(stderr, "store: %s\n", store.error().message.c_str());
    return 1;
  }
  hark::net::Policy policy;
  policy.allow_private_networks = true;
  auto http = hark::net::make_http_client(policy);
  hark::app::LibraryOptions options;
  options.media_dir = dir / "media";
  options.refresh_concurrency = 16;
  options.refresh_per_host = per_host;
  hark::app::Library library(**store, *http, options);
  auto user = (*store)->users().default_user();

  std::string opml = "<?xml version=\"1.0\"?><opml version=\"2.0\"><body>";
  for (int i = 0; i < feeds; ++i)
    opml += "<outline type=\"rss\" text=\"f\" xmlUrl=\"http://127.0.0.1:" + std::to_string(port) +
            "/feeds/" + std::to_string(i) + ".xml\"/>";
  opml += "</body></opml>";

  auto t0 = std::chrono::steady_clock::now();
  auto imported = library.import_opml(opml, user->id);
  const double import_s = seconds_since(t0);
  if (!imported || !imported->failed.empty()) {
    std::fprintf(stderr, "import failed\n");
    return 1;
  }

  std::printf("feeds=%d episodes/feed=%d changed=%d%% concurrency=%d per_host=%d\n", feeds,
              episodes, changed_percent, options.refresh_concurrency, per_host);
  std::printf("subscribe all (OPML import, full bodies): %.2f s\n", import_s);
  for (int round = 1; round <= 2; ++round) {
    for (int i = 0; i < feeds; ++i)
      if (i % 100 < changed_percent) ++generation[static_cast<std::size_t>(i)];
    full_responses = 0;
    not_modified = 0;
    t0 = std::chrono::steady_clock::now();
    auto results = library.refresh_all(user->id);
    const double s = seconds_since(t0);
    int failed = 0, added = 0;
    for (const auto& r : *results) {
      failed += r.outcome == hark::app::RefreshOutcome::Failed;
      added += r.episodes.added;
    }
    std::printf(
        "refresh round %d: %.3f s  (%ld answered 304, %ld full, %d new episodes, %d failed)\n",
        round, s, not_modified.load(), full_responses.load(), added, failed);
  }
  server.stop();
  server_thread.join();
  std::filesystem::remove_all(dir);
  return 0;
}
