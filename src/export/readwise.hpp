// Readwise: each snip becomes a highlight through Readwise's v2 API.
//
// The API (https://readwise.io/api_deets): "Authorization: Token <token>";
// GET /api/v2/auth/ answers 204 for a valid token; POST /api/v2/highlights/ takes
// {"highlights": [{text, title, author, image_url, source_url, source_type, category,
// note, location, location_type, highlighted_at, highlight_url}]} and answers with the
// books it touched, each listing "modified_highlights" (ids); PATCH
// /api/v2/highlights/<id>/ updates text, note, location, url or color. 429 answers carry
// Retry-After (seconds); 240 requests a minute per token.
//
// hark sends one highlight per request so every highlight's id is known for sure (the
// answer groups ids by book, not by input), and remembers it: a later edit is a PATCH of
// the same highlight.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "core/model.hpp"
#include "core/result.hpp"
#include "export/http_retry.hpp"
#include "net/http_client.hpp"
#include "store/store.hpp"

namespace hark::exports {

inline constexpr std::string_view kReadwiseBaseUrl = "https://readwise.io";

struct SnipContext {
  store::Snip snip;
  Podcast podcast;
  Episode episode;
  std::string public_url;  // normalised
};

// The highlight for a snip: the quote (else the summary, else the title) as text, the
// episode as title, the podcast as author, category "podcasts", the episode's player link
// as source_url, the snip's share (or player) link as highlight_url, its start in seconds
// as a time_offset location, takeaways and the user's note as the note, created_at as
// highlighted_at. Pure.
nlohmann::json readwise_highlight(const SnipContext& item);

// The fields a PATCH may change (text, note, location, url). Pure.
nlohmann::json readwise_update(const nlohmann::json& highlight);

// Thread-compatible (one export at a time per client).
class ReadwiseClient {
 public:
  ReadwiseClient(net::HttpClient& http, std::string base_url, std::string token,
                 RetryPolicy retry = {});
  // Where the token is set, for the error when Readwise refuses it (hark.toml by default;
  // the web player's Settings for a token saved there).
  void name_token_setting(std::string where) { token_setting_ = std::move(where); }
  // InvalidInput naming the setting when Readwise refuses the token.
  Status check_token();
  // The new highlight's id.
  Result<std::string> create(const nlohmann::json& highlight);
  // false when the highlight no longer exists in Readwise (the user deleted it there).
  Result<bool> update(const std::string& id, const nlohmann::json& fields);

 private:
  Result<net::Response> send(const std::string& method, const std::string& path,
                             const std::string& body);
  net::HttpClient& http_;
  std::string base_url_;
  std::string token_;
  RetryPolicy retry_;
  std::string token_setting_ = "[export.readwise] token in hark.toml or HARK_READWISE_TOKEN";
};

}  // namespace hark::exports
