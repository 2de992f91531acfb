// A loopback Readwise for tests: it implements the request and response shapes documented at
// https://readwise.io/api_deets (as read on 2026-11-27) — see readwise_test.cpp — and faults
// a test asks for. Shared by the sender's contract tests and the web player's export API tests.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "loopback_server.hpp"

namespace hark::testing {

using Json = nlohmann::json;

class FakeReadwise {
 public:
  explicit FakeReadwise(LoopbackServer& server) {
    server.on("/api/v2/auth/", [this](const ServerRequest& r) { return auth(r); });
    server.on("/api/v2/highlights/", [this](const ServerRequest& r) { return create(r); });
    server.on("/api/v2/highlights/*", [this](const ServerRequest& r) { return patch(r); });
  }
  std::mutex mutex;
  std::map<std::int64_t, Json> highlights;  // id → highlight as last stored
  int creates = 0;                          // POSTs that stored a highlight
  int patches = 0;
  int fail_create_number = 0;  // the Nth POST (1-based) answers 500; 0: none
  int rate_limit_next = 0;     // this many next requests answer 429 Retry-After: 2
  int posts_seen = 0;

 private:
  static ServerResponse json(int status, const Json& body) {
    return {status, {}, "application/json", body.dump()};
  }
  std::optional<ServerResponse> common(const ServerRequest& r) {
    if (r.header("authorization") != "Token good-token")
      return json(401, {{"detail", "Invalid token."}});
    if (rate_limit_next > 0) {
      --rate_limit_next;
      ServerResponse busy = json(429, {{"detail", "Request was throttled."}});
      busy.headers = {{"Retry-After", "2"}};
      return busy;
    }
    return std::nullopt;
  }
  ServerResponse auth(const ServerRequest& r) {
    std::lock_guard lock(mutex);
    if (auto e = common(r)) return *e;
    return {204, {}, "text/plain", ""};
  }
  ServerResponse create(const ServerRequest& r) {
    std::lock_guard lock(mutex);
    if (r.method != "POST") return json(405, {{"detail", "Method not allowed."}});
    if (auto e = common(r)) return *e;
    if (++posts_seen == fail_create_number) return json(500, {{"detail", "Server error."}});
    const auto body = Json::parse(r.body, nullptr, false);
    if (!body.is_object() || !body.contains("highlights") || !body["highlights"].is_array())
      return json(400, {{"highlights", {"This field is required."}}});
    Json books = Json::array();
    for (const auto& h : body["highlights"]) {
      if (!h.contains("text") || h["text"].get<std::string>().empty())
        return json(400, {{"text", {"This field may not be blank."}}});
      // Documented: a highlight with the same text, title, author and source_url is
      // updated rather than added again.
      std::int64_t id = 0;
      for (const auto& [known_id, known] : highlights)
        if (known["text"] == h["text"] && known["title"] == h["title"] &&
            known["author"] == h["author"] && known["source_url"] == h["source_url"])
          id = known_id;
      if (id == 0) {
        id = ++last_id_;
        ++creates;
      }
      highlights[id] = h;
      books.push_back({{"id", 77},
                       {"title", h.value("title", "")},
                       {"author", h.value("author", "")},
                       {"category", h.value("category", "books")},
                       {"source", "hark"},
                       {"num_highlights", highlights.size()},
                       {"modified_highlights", {id}}});
    }
    return json(200, books);
  }
  std::int64_t last_id_ = 1000;
  ServerResponse patch(const ServerRequest& r) {
    std::lock_guard lock(mutex);
    if (auto e = common(r)) return *e;
    // /api/v2/highlights/<id>/
    const std::string rest = r.path.substr(std::string("/api/v2/highlights/").size());
    const auto id = std::stoll(rest);
    if (r.method != "PATCH") return json(405, {{"detail", "Method not allowed."}});
    const auto it = highlights.find(id);
    if (it == highlights.end()) return json(404, {{"detail", "Not found."}});
    const auto body = Json::parse(r.body, nullptr, false);
    for (const auto& [k, v] : body.items()) it->second[k] = v;
    ++patches;
    Json out = it->second;
    out["id"] = id;
    return json(200, out);
  }
};

}  // namespace hark::testing
