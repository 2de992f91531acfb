// Snips over HTTP against a real server and library: tap and selection snips with their
// text, listing, editing, sharing (idempotent, unguessable), deleting; highlights and the
// episode summary; another user's snips are 404; the event stream reports a snip changed
// by someone else (another process writes the same store) and does not hold up shutdown.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <memory>
#include <regex>
#include <thread>

#include "app/snips.hpp"
#include "loopback_server.hpp"
#include "server_fixture.hpp"

namespace hark::testing {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

constexpr const char* kFeed = R"FEED(<?xml version="1.0"?>
<rss version="2.0"><channel><title>Snip Radio</title><link>https://example.com</link>
<description>d</description>
<item><title>Deep Work &amp; "Focus"</title><guid>ep-1</guid><pubDate>Mon, 01 Jan 2024 10:00:00 GMT</pubDate>
<enclosure url="https://cdn.example.com/ep1.mp3" type="audio/mpeg" length="1000"/>
<description><![CDATA[<p>How to <b>focus</b>.</p><script>alert(1)</script><img src=x onerror=alert(2)><a href="javascript:alert(3)">x</a>]]></description></item>
</channel></rss>)FEED";

Transcript talk() {
  const std::vector<std::string> sentences = {
      "Welcome back to the show, today we talk about deep work.",
      "Deep work is focused effort on a hard problem without distraction.",
      "Most people check their email every six minutes during the day.",
      "That constant switching leaves attention residue that slows the next task.",
      "So the first rule is to schedule long blocks for deep work.",
      "Protect those blocks like meetings with your most important client.",
      "The second rule is to embrace boredom instead of reaching for the phone.",
      "If you cannot sit in a queue without your phone, you cannot focus for hours.",
      "Now let us talk about sleep and how it restores focus.",
      "Sleep consolidates memory and clears the waste the brain makes during the day.",
      "People who sleep seven hours solve more puzzles the next morning.",
      "Thanks for listening, and see you next week.",
  };
  Transcript t;
  t.source = "publisher:vtt";
  t.language = "en";
  t.timed = true;
  t.speakers = {{"S1", "Ada", "host"}};
  Millis at = 0;
  for (const auto& s : sentences) {
    t.segments.push_back({at, at + 5000, "S1", s, {}});
    at += 5000;
  }
  return t;
}

// An open event stream: a raw socket read with a deadline.
class EventReader {
 public:
  EventReader(int port, const std::string& cookie, const std::string& query = "",
              const std::string& headers = "") {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    timeval tv{0, 200'000};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) return;
    const std::string req = "GET /api/events" + query +
                            " HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: " + cookie +
                            "\r\nAccept: text/event-stream\r\n" + headers + "\r\n";
    (void)::send(fd_, req.data(), req.size(), MSG_NOSIGNAL);
  }
  ~EventReader() { close(); }
  void close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }
  // Reads until `needle` has arrived (true) or the deadline passes / the server closes.
  bool wait_for(const std::string& needle, std::chrono::milliseconds within) {
    const auto deadline = std::chrono::steady_clock::now() + within;
    while (data_.find(needle) == std::string::npos) {
      if (std::chrono::steady_clock::now() > deadline) return false;
      char buf[4096];
      const auto n = ::recv(fd_, buf, sizeof buf, 0);
      if (n == 0) return data_.find(needle) != std::string::npos;
      if (n > 0) data_.append(buf, static_cast<std::size_t>(n));
    }
    return true;
  }
  [[nodiscard]] const std::string& data() const { return data_; }

 private:
  int fd_ = -1;
  std::string data_;
};

class SnipsApiTest : public ServerTest {
 protected:
  void configure(server::ServerOptions& options) override {
    options.http_threads = 8;  // room for four event streams
    options.public_url = "https://hark.example.org/";
    // Nothing processes the episode behind the test's back (its insights step would race
    // the "no summary yet" check).
    options.auto_process_recent = 0;
  }
  void SetUp() override {
    ServerTest::SetUp();
    feeds_.on("/feed.xml", [](const ServerRequest&) {
      return ServerResponse{.content_type = "application/rss+xml", .body = kFeed};
    });
    alice_id_ = add_user("alice").id;
    add_user("bob");
    alice_ = login("alice");
    bob_ = login("bob");
    auto sub = as(alice_, "POST", "/api/podcasts", json{{"url", feeds_.url("/feed.xml")}}.dump());
    ASSERT_EQ(sub.status, 201) << sub.body;
    const Id pid = json_of(sub)["podcast"]["id"];
    auto eps = json_of(as(alice_, "GET", "/api/podcasts/" + std::to_string(pid) + "/episodes"));
    episode_ = eps["episodes"][0]["id"];
    ASSERT_TRUE(app_->store().transcripts().replace(episode_, talk()));
  }

  json snip_at(const LoggedIn& who, Millis at, int expect = 201) {
    auto r = as(who, "POST", "/api/snips", json{{"episode_id", episode_}, {"at_ms", at}}.dump());
    EXPECT_EQ(r.status, expect) << r.body;
    return json_of(r);
  }

  LoopbackServer feeds_;
  LoggedIn alice_, bob_;
  Id alice_id_ = 0;
  Id episode_ = 0;
};

TEST_F(SnipsApiTest, TapAndSelectionSnipsCarryTheirText) {
  auto tap = snip_at(alice_, 27'000);
  EXPECT_EQ(tap["episode_id"], episode_);
  EXPECT_EQ(tap["tap_ms"], 27'000);
  EXPECT_LE(tap["start_ms"].get<Millis>(), 27'000);
  EXPECT_FALSE(tap["title"].get<std::string>().empty());
  EXPECT_FALSE(tap["summary"].get<std::string>().empty());
  EXPECT_TRUE(tap["takeaways"].is_array());
  EXPECT_FALSE(tap["quote"].get<std::string>().empty());
  EXPECT_TRUE(tap["share_id"].is_null());
  EXPECT_EQ(tap["episode"]["title"], "Deep Work & \"Focus\"");
  EXPECT_EQ(tap["episode"]["podcast_title"], "Snip Radio");

  auto sel = as(
      alice_, "POST", "/api/snips",
      json{{"episode_id", episode_}, {"start_ms", 45'000}, {"end_ms", 55'000}, {"note", "sleep!"}}
          .dump());
  ASSERT_EQ(sel.status, 201) << sel.body;
  const auto range = json_of(sel);
  EXPECT_TRUE(range["tap_ms"].is_null());
  EXPECT_EQ(range["note"], "sleep!");
  EXPECT_NE(range["quote"].get<std::string>().find("leep"), std::string::npos) << range;
  EXPECT_EQ(sel.header("location"), "/api/snips/" + std::to_string(range["id"].get<Id>()));

  auto all = json_of(as(alice_, "GET", "/api/snips"));
  ASSERT_EQ(all["snips"].size(), 2u);
  EXPECT_EQ(all["snips"][0]["id"], range["id"]);  // newest first
  auto mine = json_of(as(alice_, "GET", "/api/snips?episode_id=" + std::to_string(episode_)));
  EXPECT_EQ(mine["snips"].size(), 2u);
  EXPECT_EQ(json_of(as(alice_, "GET", "/api/snips?episode_id=999"))["snips"].size(), 0u);
  EXPECT_EQ(as(alice_, "GET", "/api/snips?episode_id=x").status, 400);
}

TEST_F(SnipsApiTest, BadRequestsAreClearAndSaveNothing) {
  const auto ep = std::to_string(episode_);
  for (const std::string& body : std::vector<std::string>{
           "{}", "[1]", "not json", R"({"episode_id": )" + ep + "}",
           R"({"episode_id": )" + ep + R"(, "at_ms": 1000, "start_ms": 0, "end_ms": 9000})",
           R"({"episode_id": )" + ep + R"(, "start_ms": 1000})",
           R"({"episode_id": )" + ep + R"(, "at_ms": -5})",
           R"({"episode_id": )" + ep + R"(, "start_ms": 9000, "end_ms": 1000})",
           R"({"episode_id": )" + ep + R"(, "at_ms": "soon"})"}) {
    auto r = as(alice_, "POST", "/api/snips", body);
    EXPECT_EQ(r.status, 400) << body << " → " << r.body;
    EXPECT_FALSE(json_of(r)["error"]["message"].get<std::string>().empty());
  }
  EXPECT_EQ(as(alice_, "POST", "/api/snips", R"({"episode_id": 999, "at_ms": 1})").status, 404);
  EXPECT_EQ(json_of(as(alice_, "GET", "/api/snips"))["snips"].size(), 0u);

  const Id id = snip_at(alice_, 5000)["id"];
  const auto url = "/api/snips/" + std::to_string(id);
  EXPECT_EQ(as(alice_, "PATCH", url, R"({"title": "  "})").status, 400);
  EXPECT_EQ(as(alice_, "PATCH", url, R"({"note": 5})").status, 400);
  EXPECT_EQ(as(alice_, "PATCH", url, R"({})").status, 400);
  EXPECT_EQ(as(alice_, "PATCH", url, json{{"title", std::string(301, 'x')}}.dump()).status, 400);
  const auto before = json_of(as(alice_, "GET", url));
  EXPECT_FALSE(before["title"].get<std::string>().empty());
  EXPECT_EQ(before["note"], "");
}

TEST_F(SnipsApiTest, EditShareAndDelete) {
  auto snip = snip_at(alice_, 12'000);
  const auto url = "/api/snips/" + std::to_string(snip["id"].get<Id>());
  auto edited = as(alice_, "PATCH", url, R"({"note": "try this on Monday"})");
  ASSERT_EQ(edited.status, 200) << edited.body;
  EXPECT_EQ(json_of(edited)["note"], "try this on Monday");
  EXPECT_EQ(json_of(edited)["title"], snip["title"]);
  EXPECT_GE(json_of(edited)["updated_at"].get<Millis>(), snip["updated_at"].get<Millis>());
  auto retitled = json_of(as(alice_, "PATCH", url, R"({"title": "Email every six minutes"})"));
  EXPECT_EQ(retitled["title"], "Email every six minutes");
  EXPECT_EQ(retitled["note"], "try this on Monday");

  auto shared = as(alice_, "POST", url + "/share");
  ASSERT_EQ(shared.status, 200) << shared.body;
  const std::string share_id = json_of(shared)["share_id"];
  EXPECT_TRUE(std::regex_match(share_id, std::regex("[A-Za-z0-9_-]{22}"))) << share_id;
  EXPECT_EQ(json_of(shared)["share_url"], "/s/" + share_id);
  EXPECT_EQ(json_of(shared)["share_url_absolute"], "https://hark.example.org/s/" + share_id);
  // Sharing again keeps the link people already have.
  EXPECT_EQ(json_of(as(alice_, "POST", url + "/share"))["share_id"], share_id);
  EXPECT_EQ(json_of(as(alice_, "GET", url))["share_id"], share_id);
  // Another snip gets another link.
  const Id other = snip_at(alice_, 50'000)["id"];
  EXPECT_NE(
      json_of(as(alice_, "POST", "/api/snips/" + std::to_string(other) + "/share"))["share_id"],
      share_id);

  EXPECT_EQ(as(alice_, "DELETE", url).status, 204);
  EXPECT_EQ(as(alice_, "GET", url).status, 404);
  EXPECT_EQ(as(alice_, "DELETE", url).status, 404);
  auto gone = app_->store().snips().find_shared(share_id);
  ASSERT_TRUE(gone);
  EXPECT_FALSE(gone->has_value());
}

TEST_F(SnipsApiTest, AnotherUsersSnipsAreNotFound) {
  auto snip = snip_at(alice_, 12'000);
  const auto url = "/api/snips/" + std::to_string(snip["id"].get<Id>());
  EXPECT_EQ(as(bob_, "GET", url).status, 404);
  EXPECT_EQ(as(bob_, "PATCH", url, R"({"note": "mine now"})").status, 404);
  EXPECT_EQ(as(bob_, "POST", url + "/share").status, 404);
  EXPECT_EQ(as(bob_, "DELETE", url).status, 404);
  EXPECT_EQ(json_of(as(bob_, "GET", "/api/snips"))["snips"].size(), 0u);
  // Bob is not subscribed: he cannot snip Alice's episode or read its insights either.
  snip_at(bob_, 12'000, 404);
  const auto ep = "/api/episodes/" + std::to_string(episode_);
  EXPECT_EQ(as(bob_, "GET", ep + "/highlights").status, 404);
  EXPECT_EQ(as(bob_, "GET", ep + "/summary").status, 404);
  // Alice's snip is untouched and still private.
  auto again = json_of(as(alice_, "GET", url));
  EXPECT_EQ(again["note"], "");
  EXPECT_TRUE(again["share_id"].is_null());
  // Without a session: 401; with the cookie but no CSRF token: 403.
  EXPECT_EQ(get(url).status, 401);
  EXPECT_EQ(http_request(port_, "DELETE", url, {{"Cookie", alice_.cookie}}).status, 403);
  EXPECT_EQ(as(alice_, "GET", url).status, 200);
}

TEST_F(SnipsApiTest, HighlightsAndSummaryOfAnEpisode) {
  const auto ep = "/api/episodes/" + std::to_string(episode_);
  auto none = as(alice_, "GET", ep + "/summary");
  EXPECT_EQ(none.status, 404);
  EXPECT_NE(json_of(none)["error"]["message"].get<std::string>().find("no summary yet"),
            std::string::npos);
  EXPECT_EQ(json_of(as(alice_, "GET", ep + "/highlights"))["highlights"].size(), 0u);
  ASSERT_TRUE(app::compute_insights(app_->store(), episode_));
  auto summary = json_of(as(alice_, "GET", ep + "/summary"));
  EXPECT_FALSE(summary["abstract"].get<std::string>().empty());
  EXPECT_TRUE(summary["takeaways"].is_array());
  auto highlights = json_of(as(alice_, "GET", ep + "/highlights"));
  ASSERT_FALSE(highlights["highlights"].empty());
  Millis last = -1;
  for (const auto& h : highlights["highlights"]) {
    EXPECT_FALSE(h["title"].get<std::string>().empty());
    EXPECT_LT(h["start_ms"].get<Millis>(), h["end_ms"].get<Millis>());
    EXPECT_GE(h["start_ms"].get<Millis>(), last);
    last = h["start_ms"];
  }
}

TEST_F(SnipsApiTest, EventsReportSnipsChangedElsewhere) {
  auto snip = snip_at(alice_, 12'000);
  const Id id = snip["id"];
  EventReader alice(port_, alice_.cookie,
                    "?since=" + std::to_string(snip["updated_at"].get<Millis>() + 1));
  EventReader bob(port_, bob_.cookie);
  ASSERT_TRUE(alice.wait_for("retry: 3000", 3s)) << alice.data();
  EXPECT_NE(alice.data().find("text/event-stream"), std::string::npos) << alice.data();
  // Not yet changed since `since`: nothing is sent.
  EXPECT_FALSE(alice.wait_for("event: snip", 1500ms)) << alice.data();
  // Another process (a language-model job, the CLI) rewrites the snip in the store.
  ASSERT_TRUE(app_->store().snips().update_text(alice_id_, id, "A better title", std::nullopt));
  ASSERT_TRUE(alice.wait_for("A better title", 5s)) << alice.data();
  EXPECT_NE(alice.data().find("event: snip\nid: "), std::string::npos);
  EXPECT_FALSE(bob.wait_for("A better title", 1500ms)) << bob.data();
  // Reconnecting with Last-Event-ID resends nothing older.
  std::smatch m;
  const std::string data = alice.data();
  ASSERT_TRUE(std::regex_search(data, m, std::regex("id: (\\d+)")));
  EventReader resumed(port_, alice_.cookie, "", "Last-Event-ID: " + m[1].str() + "\r\n");
  ASSERT_TRUE(resumed.wait_for("retry: 3000", 3s)) << resumed.data();
  EXPECT_FALSE(resumed.wait_for("event: snip", 1500ms)) << resumed.data();
  ASSERT_TRUE(app_->store().snips().update_text(alice_id_, id, std::nullopt, "noted"));
  ASSERT_TRUE(resumed.wait_for("\"note\":\"noted\"", 5s)) << resumed.data();
  // Shutting down with streams open is prompt.
  const auto t0 = std::chrono::steady_clock::now();
  stop();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 5s);
}

TEST_F(SnipsApiTest, AClosedEventStreamFreesItsThreadWithinSeconds) {
  // http_threads 8: at most four streams at once. Four clients come and go; four new ones
  // must fit a few seconds later (the old ones are noticed by their failed writes).
  {
    std::vector<std::unique_ptr<EventReader>> first;
    for (int i = 0; i < 4; ++i) {
      first.push_back(std::make_unique<EventReader>(port_, alice_.cookie));
      ASSERT_TRUE(first.back()->wait_for("hark events", 5s)) << first.back()->data();
    }
    EventReader fifth(port_, alice_.cookie);
    ASSERT_TRUE(fifth.wait_for("503", 5s)) << fifth.data();
  }
  // Before, a gone client held its thread until the next 15-second heartbeat.
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::unique_ptr<EventReader>> again;
  while (again.size() < 4 && std::chrono::steady_clock::now() - start < 8s) {
    again.push_back(std::make_unique<EventReader>(port_, alice_.cookie));
    if (!again.back()->wait_for("hark events", 5s)) {
      again.pop_back();
      std::this_thread::sleep_for(250ms);
    }
  }
  EXPECT_EQ(again.size(), 4u) << "the closed streams still hold their threads";
  ASSERT_FALSE(again.empty());
  // A stream that stays open hears from the server every second (two probe chunks).
  EXPECT_TRUE(again.front()->wait_for("2\r\n:\n\r\n2\r\n:\n\r\n", 5s)) << again.front()->data();
}

TEST_F(SnipsApiTest, ASharedSnipHasAPublicPageThatUnfurls) {
  ASSERT_TRUE(app_->store().chapters().replace(
      episode_, {{0, 40'000, "Rules <1>", "", "", true, "publisher"},
                 {40'000, std::nullopt, "Sleep", "", "", true, "publisher"}}));
  auto snip = snip_at(alice_, 27'000);
  const auto url = "/api/snips/" + std::to_string(snip["id"].get<Id>());
  ASSERT_EQ(as(alice_, "PATCH", url, R"({"title": "Boredom <b>& the phone</b>"})").status, 200);
  const std::string share = json_of(as(alice_, "POST", url + "/share"))["share_id"];

  auto page = get("/s/" + share);  // no cookie: anyone with the link
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_EQ(page.header("content-type"), "text/html; charset=utf-8");
  EXPECT_NE(page.header("content-security-policy").find("script-src 'self'"), std::string::npos);
  const auto& b = page.body;
  const std::string title = "Boredom &lt;b&gt;&amp; the phone&lt;/b&gt;";
  EXPECT_NE(b.find("<meta property=\"og:title\" content=\"" + title + "\">"), std::string::npos)
      << b;
  EXPECT_NE(
      b.find("<meta property=\"og:url\" content=\"https://hark.example.org/s/" + share + "\">"),
      std::string::npos);
  EXPECT_NE(b.find("og:description"), std::string::npos);
  EXPECT_NE(b.find("twitter:card"), std::string::npos);
  EXPECT_NE(b.find("<h1>" + title + "</h1>"), std::string::npos);
  const std::string range = "#t=" + std::to_string(snip["start_ms"].get<Millis>() / 1000);
  EXPECT_NE(b.find("src=\"/s/" + share + "/audio" + range), std::string::npos) << b;
  EXPECT_NE(b.find("Takeaways"), std::string::npos);
  EXPECT_NE(b.find(json_of(as(alice_, "GET", url))["takeaways"][0].get<std::string>()),
            std::string::npos);
  EXPECT_NE(b.find("— Ada"), std::string::npos);
  EXPECT_NE(b.find("Listen to the full episode"), std::string::npos);
  EXPECT_NE(b.find("https://cdn.example.com/ep1.mp3"), std::string::npos);
  EXPECT_NE(b.find("Rules &lt;1&gt;"), std::string::npos);
  // The episode's description arrives sanitised: no script, handlers or javascript: links.
  EXPECT_NE(b.find("<b>focus</b>"), std::string::npos) << b;
  EXPECT_EQ(b.find("<script"), std::string::npos);
  EXPECT_EQ(b.find("onerror"), std::string::npos);
  EXPECT_EQ(b.find("javascript:"), std::string::npos);
  EXPECT_EQ(b.find("alert"), std::string::npos);
  // The owner's private note never appears.
  ASSERT_EQ(as(alice_, "PATCH", url, R"({"note": "private thought"})").status, 200);
  EXPECT_EQ(get("/s/" + share).body.find("private thought"), std::string::npos);

  auto audio = get("/s/" + share + "/audio");
  EXPECT_EQ(audio.status, 302);
  EXPECT_EQ(audio.header("location"), "https://cdn.example.com/ep1.mp3");

  EXPECT_EQ(get("/s/not-a-share-id-at-all").status, 404);
  EXPECT_EQ(get("/s/" + share + "/other").status, 404);
  EXPECT_EQ(get("/s/%3Cscript%3E").status, 404);
  EXPECT_EQ(http_request(port_, "POST", "/s/" + share, {{"Content-Type", "application/json"}}, "{}")
                .status,
            405);
  // Withdrawn: the page is gone; sharing again makes a new link, the old one stays dead.
  EXPECT_EQ(as(bob_, "DELETE", url + "/share").status, 404);
  EXPECT_EQ(get("/s/" + share).status, 200);
  auto unshared = as(alice_, "DELETE", url + "/share");
  ASSERT_EQ(unshared.status, 200) << unshared.body;
  EXPECT_TRUE(json_of(unshared)["share_id"].is_null());
  EXPECT_EQ(get("/s/" + share).status, 404);
  const std::string again = json_of(as(alice_, "POST", url + "/share"))["share_id"];
  EXPECT_NE(again, share);
  EXPECT_EQ(get("/s/" + share).status, 404);
  EXPECT_EQ(get("/s/" + again).status, 200);

  ASSERT_EQ(as(alice_, "DELETE", url).status, 204);
  EXPECT_EQ(get("/s/" + again).status, 404);
  auto gone = get("/s/" + share);
  EXPECT_EQ(gone.status, 404);
  EXPECT_EQ(gone.body.find("Boredom"), std::string::npos);
}

TEST_F(SnipsApiTest, EventsNeedASession) {
  EXPECT_EQ(get("/api/events").status, 401);
  EXPECT_EQ(as(alice_, "GET", "/api/events?since=soon").status, 400);
}

}  // namespace
}  // namespace hark::testing
