// The JSON API against a real server and library: subscriptions, episodes with listening
// state, positions, transcript and chapters, audio with Range, peaks, jobs, ownership
// between users, size limits and headers.
#include <cmath>
#include <fstream>

#include "loopback_server.hpp"
#include "server_fixture.hpp"

namespace hark::testing {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

std::string feed_xml(const LoopbackServer& feeds) {
  (void)feeds;
  return R"FEED(<?xml version="1.0"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Loopback Radio</title><link>https://example.com</link>
<description>A test feed</description><language>en</language>
<item><title>Second</title><guid>ep-2</guid><pubDate>Tue, 02 Jan 2024 10:00:00 GMT</pubDate>
<enclosure url="https://cdn.example.com/ep2.mp3" type="audio/mpeg" length="1000"/>
<content:encoded><![CDATA[<p>Hello <b>world</b></p><script>alert(1)</script><img src=x onerror=alert(1)><a href="javascript:alert(1)">bad</a> <a href="https://example.com/x" onclick="evil()">good</a>]]></content:encoded>
</item>
<item><title>First</title><guid>ep-1</guid><pubDate>Mon, 01 Jan 2024 10:00:00 GMT</pubDate>
<enclosure url="https://cdn.example.com/ep1.mp3" type="audio/mpeg" length="1000"/>
<description>Plain notes</description>
</item>
</channel></rss>)FEED";
}

class ApiTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    feeds_.on("/feed.xml", [this](const ServerRequest&) {
      return ServerResponse{.content_type = "application/rss+xml", .body = feed_xml(feeds_)};
    });
    alice_id_ = add_user("alice").id;
    add_user("bob");
    alice_ = login("alice");
    bob_ = login("bob");
  }

  // Alice subscribes to the loopback feed; returns the podcast's JSON.
  json subscribe_alice() {
    auto r = as(alice_, "POST", "/api/podcasts", json{{"url", feeds_.url("/feed.xml")}}.dump());
    EXPECT_EQ(r.status, 201) << r.body;
    return json_of(r)["podcast"];
  }

  std::vector<Id> episode_ids(Id podcast) {
    auto r = json_of(as(alice_, "GET", "/api/podcasts/" + std::to_string(podcast) + "/episodes"));
    std::vector<Id> ids;
    for (const auto& e : r["episodes"]) ids.push_back(e["id"].get<Id>());
    return ids;
  }

  LoopbackServer feeds_;
  LoggedIn alice_, bob_;
  Id alice_id_ = 0;
};

TEST_F(ApiTest, SubscribeListAndReadEpisodes) {
  auto podcast = subscribe_alice();
  EXPECT_EQ(podcast["title"], "Loopback Radio");
  EXPECT_EQ(podcast["episode_count"], 2);
  auto list = json_of(as(alice_, "GET", "/api/podcasts"));
  ASSERT_EQ(list["podcasts"].size(), 1u);

  const Id pid = podcast["id"];
  auto page = json_of(
      as(alice_, "GET", "/api/podcasts/" + std::to_string(pid) + "/episodes?limit=1&offset=1"));
  ASSERT_EQ(page["episodes"].size(), 1u);
  EXPECT_EQ(page["episodes"][0]["title"], "First");
  EXPECT_EQ(page["total"], 2);
  EXPECT_EQ(as(alice_, "GET", "/api/podcasts/" + std::to_string(pid) + "/episodes?limit=x").status,
            400);

  const auto ids = episode_ids(pid);
  ASSERT_EQ(ids.size(), 2u);
  auto episode = json_of(as(alice_, "GET", "/api/episodes/" + std::to_string(ids[0])));
  EXPECT_EQ(episode["title"], "Second");
  EXPECT_EQ(episode["state"], "new");
  EXPECT_EQ(episode["transcript_ready"], false);
  EXPECT_EQ(episode["podcast"]["title"], "Loopback Radio");
  const std::string notes = episode["show_notes_html"];
  EXPECT_NE(notes.find("<p>Hello <b>world</b></p>"), std::string::npos) << notes;
  EXPECT_EQ(notes.find("script"), std::string::npos) << notes;
  EXPECT_EQ(notes.find("onerror"), std::string::npos) << notes;
  EXPECT_EQ(notes.find("javascript"), std::string::npos) << notes;
  EXPECT_EQ(notes.find("onclick"), std::string::npos) << notes;
  EXPECT_NE(notes.find(R"(<a href="https://example.com/x" rel="noopener nofollow">good</a>)"),
            std::string::npos)
      << notes;
  auto first = json_of(as(alice_, "GET", "/api/episodes/" + std::to_string(ids[1])));
  EXPECT_EQ(first["show_notes_html"], "<p>Plain notes</p>");

  auto latest = json_of(as(alice_, "GET", "/api/episodes?limit=10"));
  EXPECT_EQ(latest["episodes"].size(), 2u);
  EXPECT_TRUE(json_of(as(bob_, "GET", "/api/episodes"))["episodes"].empty());
}

TEST_F(ApiTest, CursorPagesFollowNextCursorToTheEnd) {
  const Id pid = subscribe_alice()["id"];
  const auto all = episode_ids(pid);
  ASSERT_EQ(all.size(), 2u);
  for (const std::string& base : {"/api/podcasts/" + std::to_string(pid) + "/episodes?limit=1",
                                  std::string("/api/episodes?limit=1")}) {
    auto page = json_of(as(alice_, "GET", base));
    ASSERT_EQ(page["episodes"].size(), 1u) << base;
    EXPECT_EQ(page["episodes"][0]["id"], all[0]);
    ASSERT_TRUE(page["next_cursor"].is_string()) << page.dump();
    const std::string cursor = page["next_cursor"];
    auto second = json_of(as(alice_, "GET", base + "&cursor=" + cursor));
    ASSERT_EQ(second["episodes"].size(), 1u) << second.dump();
    EXPECT_EQ(second["episodes"][0]["id"], all[1]);
    EXPECT_EQ(second["episodes"][0]["title"], "First");
    auto third =
        json_of(as(alice_, "GET", base + "&cursor=" + second["next_cursor"].get<std::string>()));
    EXPECT_TRUE(third["episodes"].empty());
    EXPECT_TRUE(third["next_cursor"].is_null());
    // A page that is not full says there is no more.
    EXPECT_TRUE(json_of(as(alice_, "GET", base + "0"))["next_cursor"].is_null());
    // A cursor is not for hand-made values, and not together with an offset.
    for (const char* bad : {"x", "12", ".5", "n.", "n.-3", "1.2.3", "n.0"})
      EXPECT_EQ(as(alice_, "GET", base + "&cursor=" + std::string(bad)).status, 400)
          << base << " " << bad;
    EXPECT_EQ(as(alice_, "GET", base + "&offset=1&cursor=" + cursor).status, 400);
  }
  // Bob sees nothing by cursor either.
  auto bobs = json_of(as(bob_, "GET", "/api/episodes?limit=1&cursor=n.999999"));
  EXPECT_TRUE(bobs["episodes"].empty());
}

TEST_F(ApiTest, PositionsGiveTheEpisodeState) {
  const Id pid = subscribe_alice()["id"];
  const auto ids = episode_ids(pid);
  const auto path = "/api/episodes/" + std::to_string(ids[0]);
  auto put =
      as(alice_, "PUT", path + "/position", R"({"position_ms": 61000.4, "duration_ms": 3600000})");
  ASSERT_EQ(put.status, 200) << put.body;
  EXPECT_EQ(json_of(put)["position_ms"], 61000);
  auto e = json_of(as(alice_, "GET", path));
  EXPECT_EQ(e["state"], "in_progress");
  EXPECT_EQ(e["position_ms"], 61000);
  EXPECT_EQ(e["position"]["duration_ms"], 3600000);
  auto progress = json_of(as(alice_, "GET", "/api/episodes/in-progress"));
  ASSERT_EQ(progress["episodes"].size(), 1u);
  EXPECT_EQ(progress["episodes"][0]["id"], ids[0]);

  ASSERT_EQ(as(alice_, "PUT", path + "/position", R"({"position_ms": 0, "played": true})").status,
            200);
  EXPECT_EQ(json_of(as(alice_, "GET", path))["state"], "played");
  EXPECT_EQ(as(alice_, "PUT", path + "/position", R"({"position_ms": -5})").status, 400);
  EXPECT_EQ(as(alice_, "PUT", path + "/position", R"({"played": "yes"})").status, 400);
  EXPECT_EQ(as(alice_, "PUT", path + "/position", "not json").status, 400);
}

TEST_F(ApiTest, AnotherUsersObjectsAreNotFound) {
  const Id pid = subscribe_alice()["id"];
  const auto ids = episode_ids(pid);
  const auto p = "/api/podcasts/" + std::to_string(pid);
  const auto e = "/api/episodes/" + std::to_string(ids[0]);
  ASSERT_EQ(as(alice_, "PUT", e + "/position", R"({"position_ms": 5000})").status, 200);

  // Bob can neither read, change nor delete any of it: 404, exactly as for no object.
  for (const auto& [method, target] : std::vector<std::pair<std::string, std::string>>{
           {"GET", p},
           {"GET", p + "/episodes"},
           {"POST", p + "/refresh"},
           {"DELETE", p},
           {"GET", e},
           {"GET", e + "/transcript"},
           {"GET", e + "/chapters"},
           {"GET", e + "/peaks"},
           {"GET", e + "/audio"},
           {"POST", e + "/process"},
       }) {
    auto r = as(bob_, method, target);
    EXPECT_EQ(r.status, 404) << method << " " << target << ": " << r.body;
    EXPECT_EQ(json_of(r)["error"]["code"], "not_found");
  }
  EXPECT_EQ(as(bob_, "PUT", e + "/position", R"({"position_ms": 1})").status, 404);
  EXPECT_EQ(json_of(as(bob_, "GET", "/api/podcasts"))["podcasts"].size(), 0u);
  // Bob's request changed nothing of Alice's.
  EXPECT_EQ(json_of(as(alice_, "GET", e))["position_ms"], 5000);
  EXPECT_EQ(as(alice_, "GET", p).status, 200);
  // Bob's jobs list does not show Alice's episodes' jobs.
  for (const auto& job : json_of(as(bob_, "GET", "/api/jobs"))["jobs"])
    EXPECT_NE(job["episode_id"], ids[0]);
  // Nor a job done for Alice alone (an export: its error names her Notion database), and
  // not even to an administrator; Alice sees it.
  store::Job personal;
  personal.kind = "export";
  personal.payload = json{{"user_id", alice_id_}, {"service", "notion"}}.dump();
  auto queued = app_->store().jobs().enqueue(personal);
  ASSERT_TRUE(queued);
  const auto has_job = [&](const json& list) {
    for (const auto& job : list["jobs"])
      if (job["id"] == queued->id) return true;
    return false;
  };
  EXPECT_FALSE(has_job(json_of(as(bob_, "GET", "/api/jobs"))));
  add_user("root", /*admin=*/true);
  EXPECT_FALSE(has_job(json_of(as(login("root"), "GET", "/api/jobs"))));
  EXPECT_TRUE(has_job(json_of(as(alice_, "GET", "/api/jobs"))));
  // And the same for ids that do not exist, or are not ids.
  EXPECT_EQ(as(bob_, "GET", "/api/episodes/999999").status, 404);
  EXPECT_EQ(as(bob_, "GET", "/api/episodes/abc").status, 404);

  // Unsubscribing is Alice's alone; afterwards she no longer sees the podcast.
  EXPECT_EQ(as(alice_, "DELETE", p).status, 204);
  EXPECT_EQ(as(alice_, "GET", p).status, 404);
}

TEST_F(ApiTest, OpmlExportAndImport) {
  subscribe_alice();
  auto exported = as(alice_, "GET", "/api/podcasts/export.opml");
  ASSERT_EQ(exported.status, 200);
  EXPECT_NE(exported.header("content-type").find("opml"), std::string::npos);
  EXPECT_NE(exported.body.find(feeds_.url("/feed.xml")), std::string::npos);
  auto imported = as(bob_, "POST", "/api/podcasts/import", exported.body, "text/x-opml");
  ASSERT_EQ(imported.status, 200) << imported.body;
  EXPECT_EQ(json_of(imported)["added"].size(), 1u);
  EXPECT_EQ(json_of(as(bob_, "GET", "/api/podcasts"))["podcasts"].size(), 1u);
  EXPECT_EQ(as(bob_, "POST", "/api/podcasts/import", "<not opml", "text/x-opml").status, 400);
}

TEST_F(ApiTest, ProcessingQueuesAJobAndTheWorkerRunsIt) {
  const Id pid = subscribe_alice()["id"];
  const auto ids = episode_ids(pid);
  auto r = as(alice_, "POST", "/api/episodes/" + std::to_string(ids[1]) + "/process");
  ASSERT_EQ(r.status, 202) << r.body;
  EXPECT_EQ(json_of(r)["job"]["kind"], "transcript");
  // The worker runs the pipeline (no publisher transcript: done, waiting for ASR).
  bool all_done = false;
  for (int i = 0; i < 200 && !all_done; ++i) {
    std::this_thread::sleep_for(50ms);
    auto jobs = json_of(as(alice_, "GET", "/api/jobs"))["jobs"];
    all_done = !jobs.empty();
    for (const auto& j : jobs) all_done &= j["state"] == "done";
  }
  EXPECT_TRUE(all_done);
  auto status = json_of(as(alice_, "GET", "/api/status"));
  EXPECT_EQ(status["version"], "0.1.0");
  EXPECT_GE(status["worker"]["done"].get<int>(), 1);
  EXPECT_TRUE(status["services"].is_array());
  auto feeds = json_of(as(alice_, "GET", "/api/settings/feeds"))["feeds"];
  ASSERT_EQ(feeds.size(), 1u);
  EXPECT_EQ(feeds[0]["ok"], true);
  auto refreshed = as(alice_, "POST", "/api/podcasts/" + std::to_string(pid) + "/refresh");
  ASSERT_EQ(refreshed.status, 200) << refreshed.body;
  EXPECT_EQ(json_of(refreshed)["added"], 0);
}

TEST_F(ApiTest, TranscriptAndChaptersOfAnEpisode) {
  const Id pid = subscribe_alice()["id"];
  const Id id = episode_ids(pid)[0];
  const auto e = "/api/episodes/" + std::to_string(id);
  EXPECT_EQ(as(alice_, "GET", e + "/transcript").status, 404);
  Transcript t;
  t.source = "publisher:vtt";
  t.language = "en";
  t.speakers = {{"S1", "Ada", "host"}};
  t.segments = {{0,
                 1500,
                 "S1",
                 "Hello there.",
                 {{0, 700, "Hello", std::nullopt}, {700, 1500, "there.", 0.9}}},
                {1500, 3000, "S1", "Welcome.", {}}};
  ASSERT_TRUE(app_->store().transcripts().replace(id, t));
  ASSERT_TRUE(app_->store().chapters().replace(
      id, {{0, 1500, "Intro", "", "", true, "publisher"},
           {1500, std::nullopt, "Main", "", "", true, "publisher"}}));
  auto tr = json_of(as(alice_, "GET", e + "/transcript"));
  ASSERT_EQ(tr["segments"].size(), 2u);
  EXPECT_EQ(tr["segments"][0]["speaker"], "S1");
  EXPECT_EQ(tr["segments"][1]["start_ms"], 1500);
  EXPECT_EQ(tr["speakers"][0]["name"], "Ada");
  EXPECT_FALSE(tr["segments"][0].contains("words"));
  auto with_words = json_of(as(alice_, "GET", e + "/transcript?words=1"));
  EXPECT_EQ(with_words["segments"][0]["words"].size(), 2u);
  auto vtt = as(alice_, "GET", e + "/transcript?format=vtt");
  EXPECT_EQ(vtt.body.rfind("WEBVTT", 0), 0u);
  auto chapters = json_of(as(alice_, "GET", e + "/chapters"));
  ASSERT_EQ(chapters["chapters"].size(), 2u);
  EXPECT_EQ(chapters["chapters"][1]["title"], "Main");
  auto episode = json_of(as(alice_, "GET", e));
  EXPECT_EQ(episode["transcript_ready"], true);
  EXPECT_EQ(episode["chapter_count"], 2);
}

TEST_F(ApiTest, AudioRedirectsUntilDownloadedThenServesRanges) {
  const Id pid = subscribe_alice()["id"];
  const Id id = episode_ids(pid)[0];
  const auto audio = "/api/episodes/" + std::to_string(id) + "/audio";
  auto redirect = as(alice_, "GET", audio);
  EXPECT_EQ(redirect.status, 302);
  EXPECT_EQ(redirect.header("location"), "https://cdn.example.com/ep2.mp3");

  std::string bytes;
  for (int i = 0; i < 1000; ++i) bytes += static_cast<char>('a' + i % 26);
  const auto file = dir_ / "ep2.mp3";
  write_file(file, bytes);
  ASSERT_TRUE(app_->store().episodes().set_download(id, file.string(), 1000));

  auto full = as(alice_, "GET", audio);
  EXPECT_EQ(full.status, 200);
  EXPECT_EQ(full.body, bytes);
  EXPECT_EQ(full.header("accept-ranges"), "bytes");
  EXPECT_EQ(full.header("content-type"), "audio/mpeg");

  const Headers cookie = {{"Cookie", alice_.cookie}};
  auto range = [&](const std::string& spec) {
    Headers h = cookie;
    h.emplace_back("Range", spec);
    return http_request(port_, "GET", audio, h);
  };
  auto head = range("bytes=0-99");
  EXPECT_EQ(head.status, 206);
  EXPECT_EQ(head.header("content-range"), "bytes 0-99/1000");
  EXPECT_EQ(head.header("content-length"), "100");
  EXPECT_EQ(head.body, bytes.substr(0, 100));

  auto middle = range("bytes=500-549");
  EXPECT_EQ(middle.status, 206);
  EXPECT_EQ(middle.header("content-range"), "bytes 500-549/1000");
  EXPECT_EQ(middle.body, bytes.substr(500, 50));

  auto open_ended = range("bytes=990-");
  EXPECT_EQ(open_ended.status, 206);
  EXPECT_EQ(open_ended.body, bytes.substr(990));

  auto suffix = range("bytes=-100");
  EXPECT_EQ(suffix.status, 206);
  EXPECT_EQ(suffix.header("content-range"), "bytes 900-999/1000");
  EXPECT_EQ(suffix.body, bytes.substr(900));

  auto clamped = range("bytes=950-5000");
  EXPECT_EQ(clamped.status, 206);
  EXPECT_EQ(clamped.header("content-range"), "bytes 950-999/1000");

  auto past = range("bytes=1000-");
  EXPECT_EQ(past.status, 416);
  EXPECT_EQ(past.header("content-range"), "bytes */1000");
}

// A short WAV (a sine sweep) FFmpeg can decode.
std::string make_wav(int seconds) {
  const int rate = 8000;
  const int n = rate * seconds;
  std::string data;
  for (int i = 0; i < n; ++i) {
    const double v = std::sin(i * 0.05) * (static_cast<double>(i) / n);
    const auto s = static_cast<std::int16_t>(v * 20000);
    data += static_cast<char>(s & 0xff);
    data += static_cast<char>((s >> 8) & 0xff);
  }
  auto le32 = [](std::uint32_t v) {
    return std::string{static_cast<char>(v & 0xff), static_cast<char>((v >> 8) & 0xff),
                       static_cast<char>((v >> 16) & 0xff), static_cast<char>((v >> 24) & 0xff)};
  };
  auto le16 = [](std::uint16_t v) {
    return std::string{static_cast<char>(v & 0xff), static_cast<char>(v >> 8)};
  };
  return "RIFF" + le32(36 + static_cast<std::uint32_t>(data.size())) + "WAVEfmt " + le32(16) +
         le16(1) + le16(1) + le32(rate) + le32(rate * 2) + le16(2) + le16(16) + "data" +
         le32(static_cast<std::uint32_t>(data.size())) + data;
}

TEST_F(ApiTest, PeaksAreComputedInTheBackgroundAndCached) {
  const Id pid = subscribe_alice()["id"];
  const Id id = episode_ids(pid)[0];
  const auto peaks = "/api/episodes/" + std::to_string(id) + "/peaks";
  EXPECT_EQ(as(alice_, "GET", peaks).status, 409);  // not downloaded
  const auto file = dir_ / "ep.wav";
  write_file(file, make_wav(3));
  ASSERT_TRUE(app_->store().episodes().set_download(id, file.string(), 0));
  auto first = as(alice_, "GET", peaks);
  ASSERT_EQ(first.status, 202) << first.body;
  EXPECT_EQ(json_of(first)["status"], "pending");
  HttpReply ready;
  for (int i = 0; i < 200; ++i) {
    std::this_thread::sleep_for(50ms);
    ready = as(alice_, "GET", peaks);
    if (ready.status == 200) break;
  }
  ASSERT_EQ(ready.status, 200) << ready.body;
  auto body = json_of(ready);
  EXPECT_EQ(body["count"], 1000);
  ASSERT_EQ(body["peaks"].size(), 1000u);
  EXPECT_LE(body["peaks"][10][0].get<double>(), 0.0);
  double loudest_late = 0;  // the sweep gets louder towards the end
  for (int i = 900; i < 1000; ++i)
    loudest_late = std::max(loudest_late, body["peaks"][i][1].get<double>());
  EXPECT_GE(loudest_late, 0.3);
  EXPECT_TRUE(std::filesystem::exists(app_->config().data_dir / "cache" / "peaks" /
                                      (std::to_string(id) + ".json")));
}

TEST_F(ApiTest, SubscribingToAPrivateAddressIsRefusedByDefault) {
  // This fixture allows private networks; a server with the default policy does not.
  stop();
  app::Config config;
  config.data_dir = dir_ / "data2";
  auto opened = app::App::open(config, app::FrontEnd::Server);
  ASSERT_TRUE(opened);
  app_ = std::move(*opened);
  server::ServerOptions options;
  options.port = 0;
  options.refresh_interval_ms = 0;
  auto created = server::Server::create(*app_, options, log_);
  ASSERT_TRUE(created);
  server_ = std::move(*created);
  port_ = server_->port();
  thread_ = std::thread([this] { (void)server_->run(); });
  add_user("carol");
  auto carol = login("carol");
  auto r = as(carol, "POST", "/api/podcasts", json{{"url", feeds_.url("/feed.xml")}}.dump());
  EXPECT_EQ(r.status, 403) << r.body;
  EXPECT_EQ(json_of(r)["error"]["code"], "forbidden");
}

TEST_F(ApiTest, OversizedBodiesAre413) {
  const std::string big_json =
      R"({"name":"alice","password":")" + std::string(2 << 20, 'x') + "\"}";
  auto login_big =
      http_request(port_, "POST", "/api/login", {{"Content-Type", "application/json"}}, big_json);
  EXPECT_EQ(login_big.status, 413);
  EXPECT_EQ(json_of(login_big)["error"]["code"], "payload_too_large");
  auto opml_big =
      as(alice_, "POST", "/api/podcasts/import", std::string(6 << 20, ' '), "text/x-opml");
  EXPECT_EQ(opml_big.status, 413);
  EXPECT_FALSE(opml_big.header("content-security-policy").empty());
}

TEST_F(ApiTest, EveryResponseCarriesTheSecurityHeaders) {
  for (const auto& target : {"/api/session", "/api/podcasts", "/api/nope", "/", "/missing.js"}) {
    auto r = get(target);
    EXPECT_EQ(r.header("content-security-policy"),
              "default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; "
              "frame-ancestors 'none'; img-src 'self' https: data:; media-src 'self' https:; "
              "style-src 'self'")
        << target;
    EXPECT_EQ(r.header("x-content-type-options"), "nosniff") << target;
    EXPECT_EQ(r.header("referrer-policy"), "same-origin") << target;
    EXPECT_EQ(r.count("content-security-policy"), 1) << target;
  }
  auto api = get("/api/session");
  EXPECT_EQ(api.header("cache-control"), "no-store");
  EXPECT_EQ(api.header("content-type"), "application/json");
  auto unknown = get("/api/nope");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(json_of(unknown)["error"]["code"], "not_found");
  auto wrong_method = http_request(port_, "DELETE", "/api/session");
  EXPECT_EQ(wrong_method.status, 405);
  EXPECT_EQ(wrong_method.header("allow"), "GET");
}

}  // namespace
}  // namespace hark::testing
