// Notion: a page per snip (or per episode with its snips) in a database the user shares
// with a hark integration.
//
// The API (developers.notion.com/reference: "Create a page" POST /v1/pages, "Update page
// properties" PATCH /v1/pages/{id}, "Retrieve a database" GET /v1/databases/{id},
// "Retrieve block children" GET /v1/blocks/{id}/children, "Delete a block" DELETE
// /v1/blocks/{id}, "Append block children" PATCH /v1/blocks/{id}/children; "Request
// limits": about three requests a second, 429 "rate_limited" with Retry-After in seconds;
// "Status codes": 401 "unauthorized", 404 "object_not_found" for anything missing or not
// shared with the integration). Headers: "Authorization: Bearer <token>",
// "Notion-Version: 2022-06-28".
//
// Properties are matched to the database by name and type, so any database works: the
// title property (whatever it is called) gets the title; "Podcast", "Episode" and "Time"
// (text), "Link" (URL) and "Date" (date) are filled when the database has them.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "export/http_retry.hpp"
#include "export/readwise.hpp"  // SnipContext
#include "net/http_client.hpp"

namespace hark::exports {

inline constexpr std::string_view kNotionBaseUrl = "https://api.notion.com";
inline constexpr std::string_view kNotionVersion = "2022-06-28";
// "There is a limit of 100 block children that can be appended by a single API request"
// (Append block children; Create a page's children likewise): longer bodies are sent as a
// page with the first 100 and appends of up to 100 each.
inline constexpr std::size_t kNotionMaxChildren = 100;

struct NotionDatabase {
  std::string id;
  std::string title_property;                     // the one property of type "title"
  std::map<std::string, std::string> properties;  // name → type
};

// A page's properties and body for one snip, or for an episode and its snips (the title is
// the episode's then). Pure.
nlohmann::json notion_properties(const NotionDatabase& db, const std::vector<SnipContext>& snips,
                                 bool per_episode);
nlohmann::json notion_blocks(const std::vector<SnipContext>& snips, bool per_episode);

// Thread-compatible (one export at a time per client).
class NotionClient {
 public:
  NotionClient(net::HttpClient& http, std::string base_url, std::string token,
               RetryPolicy retry = {});
  // Where the token and the database id are set, for errors that ask to change them
  // (hark.toml by default; the web player's Settings for ones saved there).
  void name_settings(std::string token, std::string database) {
    token_setting_ = std::move(token);
    database_setting_ = std::move(database);
  }
  // The database's schema. InvalidInput naming the setting when the token is refused or
  // the database is gone or not shared with the integration.
  Result<NotionDatabase> database(const std::string& database_id);
  // Creates the page with at most the first kNotionMaxChildren blocks of `children` (send
  // the rest with append_blocks once the page's id is remembered, so that a failure in
  // between never leads to a second page).
  Result<std::string> create_page(const std::string& database_id, const nlohmann::json& properties,
                                  const nlohmann::json& children);
  // Appends children[from..] to the page, kNotionMaxChildren blocks per request.
  Status append_blocks(const std::string& page_id, const nlohmann::json& children,
                       std::size_t from = 0);
  // Replaces the page's properties and all of its blocks. false when the page no longer
  // exists (deleted or archived in Notion). A failure part way leaves the page to be
  // replaced again by the next run.
  Result<bool> update_page(const std::string& page_id, const nlohmann::json& properties,
                           const nlohmann::json& children);

 private:
  Result<net::Response> send(const std::string& method, const std::string& path,
                             const std::string& body);
  net::HttpClient& http_;
  std::string base_url_;
  std::string token_;
  RetryPolicy retry_;
  std::string token_setting_ = "[export.notion] token in hark.toml or HARK_NOTION_TOKEN";
  std::string database_setting_ = "[export.notion] database_id";
};

}  // namespace hark::exports
