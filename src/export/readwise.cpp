#include "export/readwise.hpp"

#include "core/text.hpp"
#include "core/time.hpp"
#include "export/links.hpp"

namespace hark::exports {

using text::collapse_whitespace;
using text::sanitize_utf8;
using text::trim;
using text::truncate_utf8;
using text::utf8_sequence_length;
namespace {

std::string capped(std::string_view text, std::size_t max_chars_as_bytes) {
  return truncate_utf8(text, max_chars_as_bytes);
}

Error refused_token(int status, const std::string& setting) {
  return invalid_input("Readwise refused the access token (HTTP " + std::to_string(status) +
                       "); set a valid one as " + setting +
                       " (get it at https://readwise.io/access_token)");
}

std::string body_excerpt(const std::string& body) {
  return truncate_utf8(collapse_whitespace(body), 200);
}

}  // namespace

nlohmann::json readwise_highlight(const SnipContext& item) {
  const auto& s = item.snip;
  std::string text = !s.quote.empty() ? s.quote : !s.summary.empty() ? s.summary : s.title;
  if (text.empty()) text = "Snip at " + format_clock(s.start_ms);
  std::string note;
  if (!s.title.empty() && text != s.title) note += s.title + "\n";
  for (const auto& t : s.takeaways) note += "- " + t + "\n";
  if (!s.note.empty()) note += (note.empty() ? "" : "\n") + s.note;
  while (!note.empty() && note.back() == '\n') note.pop_back();
  const std::string link = s.share_id ? share_url(item.public_url, *s.share_id)
                                      : player_url(item.public_url, s.episode_id, s.start_ms);
  nlohmann::json h = {
      {"text", capped(text, 8191)},
      {"title", capped(item.episode.title, 511)},
      {"author", capped(item.podcast.title, 1024)},
      {"category", "podcasts"},
      {"source_type", "hark"},
      {"source_url", player_url(item.public_url, s.episode_id, 0)},
      {"highlight_url", link},
      {"location", s.start_ms / 1000},
      {"location_type", "time_offset"},
      {"highlighted_at", format_iso8601(s.created_at)},
  };
  if (!note.empty()) h["note"] = capped(note, 8191);
  if (!item.podcast.image_url.empty()) h["image_url"] = capped(item.podcast.image_url, 2047);
  return h;
}

nlohmann::json readwise_update(const nlohmann::json& highlight) {
  return {{"text", highlight.value("text", "")},
          {"note", highlight.value("note", "")},
          {"location", highlight.value("location", 0)},
          {"url", highlight.value("highlight_url", "")}};
}

ReadwiseClient::ReadwiseClient(net::HttpClient& http, std::string base_url, std::string token,
                               RetryPolicy retry)
    : http_(http),
      base_url_(std::move(base_url)),
      token_(std::move(token)),
      retry_(std::move(retry)) {
  while (!base_url_.empty() && base_url_.back() == '/') base_url_.pop_back();
}

Result<net::Response> ReadwiseClient::send(const std::string& method, const std::string& path,
                                           const std::string& body) {
  net::Request request;
  request.method = method;
  request.url = base_url_ + path;
  request.headers = {{"Authorization", "Token " + token_}};
  if (!body.empty()) {
    request.headers.emplace_back("Content-Type", "application/json");
    request.body = body;
  }
  auto response = send_with_retry(http_, request, retry_, "Readwise");
  if (!response) return response.error();
  if (response->status == 401 || response->status == 403)
    return refused_token(response->status, token_setting_);
  if (response->status == 429)
    return unavailable(
        "Readwise is still rate-limiting hark (HTTP 429); run the export again "
        "in a minute — what was sent is remembered");
  return response;
}

Status ReadwiseClient::check_token() {
  auto response = send("GET", "/api/v2/auth/", "");
  if (!response) return response.error();
  if (response->status / 100 != 2)
    return unavailable("Readwise answered HTTP " + std::to_string(response->status) +
                       " when hark checked the token; try again later");
  return ok();
}

Result<std::string> ReadwiseClient::create(const nlohmann::json& highlight) {
  const nlohmann::json body = {{"highlights", nlohmann::json::array({highlight})}};
  auto response = send("POST", "/api/v2/highlights/", body.dump());
  if (!response) return response.error();
  if (response->status == 400)
    return invalid_input(
        "Readwise did not accept a highlight (HTTP 400: " + body_excerpt(response->body) + ")");
  if (response->status / 100 != 2)
    return unavailable("Readwise failed (HTTP " + std::to_string(response->status) + ")");
  const auto books = nlohmann::json::parse(response->body, nullptr, false);
  if (books.is_array()) {
    for (const auto& book : books) {
      const auto ids = book.find("modified_highlights");
      if (ids == book.end() || !ids->is_array() || ids->empty()) continue;
      const auto& id = ids->front();
      if (id.is_number_integer()) return std::to_string(id.get<std::int64_t>());
      if (id.is_string()) return id.get<std::string>();
    }
  }
  return internal_error("Readwise's answer named no highlight id: " + body_excerpt(response->body));
}

Result<bool> ReadwiseClient::update(const std::string& id, const nlohmann::json& fields) {
  auto response = send("PATCH", "/api/v2/highlights/" + percent_encode(id) + "/", fields.dump());
  if (!response) return response.error();
  if (response->status == 404) return false;
  if (response->status == 400)
    return invalid_input("Readwise did not accept an update of highlight " + id +
                         " (HTTP 400: " + body_excerpt(response->body) + ")");
  if (response->status / 100 != 2)
    return unavailable("Readwise failed (HTTP " + std::to_string(response->status) + ")");
  return true;
}

}  // namespace hark::exports
