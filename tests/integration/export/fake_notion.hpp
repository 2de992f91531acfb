// A loopback Notion for tests: it implements the shapes documented at
// https://developers.notion.com/reference (as read on 2026-11-27) — see notion_test.cpp — and
// faults a test asks for. Shared by the sender's contract tests and the web player's export
// API tests.
#pragma once

#include <algorithm>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "loopback_server.hpp"

namespace hark::testing {

using Json = nlohmann::json;

inline const std::string kDb = "0f6d1c2ab3e94c4f8d7e6a5b4c3d2e1f";

class FakeNotion {
 public:
  explicit FakeNotion(LoopbackServer& server) {
    server.on("/v1/databases/*", [this](const ServerRequest& r) { return handle(r); });
    server.on("/v1/pages", [this](const ServerRequest& r) { return handle(r); });
    server.on("/v1/pages/*", [this](const ServerRequest& r) { return handle(r); });
    server.on("/v1/blocks/*", [this](const ServerRequest& r) { return handle(r); });
  }
  std::mutex mutex;
  bool database_exists = true;
  std::map<std::string, Json> pages;                  // id → {properties, archived}
  std::map<std::string, std::vector<Json>> children;  // page id → blocks (with ids)
  int created = 0;
  int fail_create_number = 0;  // the Nth POST /v1/pages answers 500
  int rate_limit_next = 0;
  int posts_seen = 0;
  int fail_append_number = 0;  // the Nth PATCH /v1/blocks/{id}/children answers 500
  int appends_seen = 0;
  std::size_t largest_children = 0;  // the most blocks any one request carried

 private:
  static ServerResponse error(int status, const std::string& code, const std::string& message) {
    return {
        status,
        {},
        "application/json",
        Json{{"object", "error"}, {"status", status}, {"code", code}, {"message", message}}.dump()};
  }
  static ServerResponse json(const Json& body) {
    return {200, {}, "application/json", body.dump()};
  }

  // Notion refuses more than 100 children in one request.
  std::optional<ServerResponse> too_many(const Json& body) {
    const auto n = body.contains("children") ? body["children"].size() : 0;
    largest_children = std::max(largest_children, n);
    if (n <= 100) return std::nullopt;
    return error(400, "validation_error",
                 "body failed validation: body.children.length should be ≤ `100`, instead was `" +
                     std::to_string(n) + "`.");
  }

  ServerResponse handle(const ServerRequest& r) {
    std::lock_guard lock(mutex);
    if (r.header("authorization") != "Bearer secret_good")
      return error(401, "unauthorized", "API token is invalid.");
    if (r.header("notion-version").empty())
      return error(400, "missing_version", "Notion-Version header failed validation.");
    if (rate_limit_next > 0) {
      --rate_limit_next;
      ServerResponse busy = error(429, "rate_limited", "You have been rate limited.");
      busy.headers = {{"Retry-After", "1"}};
      return busy;
    }
    const std::string& p = r.path;
    if (p.starts_with("/v1/databases/") && r.method == "GET") {
      if (!database_exists || p != "/v1/databases/" + kDb)
        return error(404, "object_not_found",
                     "Could not find database with ID: " + kDb +
                         ". Make sure the relevant pages and databases are shared with your "
                         "integration.");
      return json({{"object", "database"},
                   {"id", kDb},
                   {"properties",
                    {{"Name", {{"id", "title"}, {"type", "title"}}},
                     {"Podcast", {{"id", "a1"}, {"type", "rich_text"}}},
                     {"Episode", {{"id", "a2"}, {"type", "rich_text"}}},
                     {"Time", {{"id", "a3"}, {"type", "rich_text"}}},
                     {"Link", {{"id", "a4"}, {"type", "url"}}},
                     {"Rating", {{"id", "a5"}, {"type", "number"}}}}}});
    }
    if (p == "/v1/pages" && r.method == "POST") {
      if (++posts_seen == fail_create_number)
        return error(500, "internal_server_error", "Unexpected error occurred.");
      const auto body = Json::parse(r.body, nullptr, false);
      if (auto refused = too_many(body)) return *refused;
      if (!database_exists || body["parent"]["database_id"] != kDb)
        return error(404, "object_not_found", "Could not find database with ID: " + kDb + ".");
      for (const auto& [name, value] : body["properties"].items())
        if (name != "Name" && name != "Podcast" && name != "Episode" && name != "Time" &&
            name != "Link")
          return error(400, "validation_error", name + " is not a property that exists.");
      const std::string id = "page-" + std::to_string(++created);
      pages[id] = {{"properties", body["properties"]}, {"archived", false}};
      auto& kids = children[id];
      for (const auto& b : body["children"]) kids.push_back(with_id(b));
      return json({{"object", "page"}, {"id", id}, {"archived", false}});
    }
    if (p.starts_with("/v1/pages/") && r.method == "PATCH") {
      const std::string id = p.substr(10);
      const auto it = pages.find(id);
      if (it == pages.end())
        return error(404, "object_not_found", "Could not find page with ID: " + id + ".");
      if (it->second["archived"])
        return error(400, "validation_error", "Can't edit block that is archived.");
      const auto body = Json::parse(r.body, nullptr, false);
      for (const auto& [name, value] : body["properties"].items())
        it->second["properties"][name] = value;
      return json({{"object", "page"}, {"id", id}, {"archived", false}});
    }
    if (p.starts_with("/v1/blocks/") && p.ends_with("/children")) {
      const std::string id = p.substr(11, p.size() - 11 - 9);
      if (!pages.contains(id))
        return error(404, "object_not_found", "Could not find block with ID: " + id + ".");
      if (r.method == "GET") {  // pages of page_size (≤ 100); the cursor is a block id
        const std::string size_text = r.query_value("page_size");
        const std::size_t size = size_text.empty() ? 100 : std::stoul(size_text);
        if (size < 1 || size > 100)
          return error(400, "validation_error", "page_size should be ≤ 100");
        const auto& kids = children[id];
        std::size_t at = 0;
        if (const auto cursor = r.query_value("start_cursor"); !cursor.empty())
          while (at < kids.size() && kids[at]["id"] != cursor) ++at;
        Json results = Json::array();
        for (std::size_t i = at; i < kids.size() && i < at + size; ++i) results.push_back(kids[i]);
        const bool more = at + size < kids.size();
        return json({{"object", "list"},
                     {"results", results},
                     {"has_more", more},
                     {"next_cursor", more ? kids[at + size]["id"] : Json(nullptr)}});
      }
      if (r.method == "PATCH") {
        if (++appends_seen == fail_append_number)
          return error(500, "internal_server_error", "Unexpected error occurred.");
        const auto body = Json::parse(r.body, nullptr, false);
        if (auto refused = too_many(body)) return *refused;
        for (const auto& b : body["children"]) children[id].push_back(with_id(b));
        return json({{"object", "list"}, {"results", Json::array()}});
      }
    }
    if (p.starts_with("/v1/blocks/") && r.method == "DELETE") {
      const std::string block_id = p.substr(11);
      for (auto& [page, kids] : children)
        for (auto it = kids.begin(); it != kids.end(); ++it)
          if ((*it)["id"] == block_id) {
            kids.erase(it);
            return json({{"object", "block"}, {"id", block_id}, {"archived", true}});
          }
      return error(404, "object_not_found", "Could not find block with ID: " + block_id + ".");
    }
    return error(400, "invalid_request_url", "Invalid request URL.");
  }
  Json with_id(Json b) {
    b["id"] = "block-" + std::to_string(++block_ids_);
    return b;
  }
  int block_ids_ = 0;
};

}  // namespace hark::testing
