#include "export/notion.hpp"

#include <algorithm>

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

using Json = nlohmann::json;

// Notion caps one text object at 2000 characters.
Json rich_text(std::string_view text) {
  return Json::array({{{"type", "text"}, {"text", {{"content", truncate_utf8(text, 1990)}}}}});
}

Json block(const std::string& type, std::string_view text) {
  return {{"object", "block"}, {"type", type}, {type, {{"rich_text", rich_text(text)}}}};
}

std::string link_of(const SnipContext& c) {
  return c.snip.share_id ? share_url(c.public_url, *c.snip.share_id)
                         : player_url(c.public_url, c.snip.episode_id, c.snip.start_ms);
}

void snip_blocks(const SnipContext& c, Json& out) {
  const auto& s = c.snip;
  if (!s.summary.empty()) out.push_back(block("paragraph", s.summary));
  for (const auto& t : s.takeaways) out.push_back(block("bulleted_list_item", t));
  if (!s.quote.empty())
    out.push_back(
        block("quote", s.quote_speaker.empty() ? s.quote : s.quote + " — " + s.quote_speaker));
  if (!s.note.empty()) out.push_back(block("paragraph", "My note: " + s.note));
}

std::string excerpt(const std::string& body) {
  const auto j = Json::parse(body, nullptr, false);
  if (j.is_object() && j.contains("message") && j["message"].is_string())
    return j["message"].get<std::string>();
  return truncate_utf8(collapse_whitespace(body), 200);
}

}  // namespace

Json notion_properties(const NotionDatabase& db, const std::vector<SnipContext>& snips,
                       bool per_episode) {
  Json props = Json::object();
  if (snips.empty()) return props;
  const auto& first = snips.front();
  const std::string title = per_episode ? first.episode.title
                            : first.snip.title.empty()
                                ? "Snip at " + format_clock(first.snip.start_ms)
                                : first.snip.title;
  props[db.title_property] = {{"title", rich_text(title)}};
  const auto has = [&](const std::string& name, const std::string& type) {
    const auto it = db.properties.find(name);
    return it != db.properties.end() && it->second == type;
  };
  if (has("Podcast", "rich_text"))
    props["Podcast"] = {{"rich_text", rich_text(first.podcast.title)}};
  if (has("Episode", "rich_text"))
    props["Episode"] = {{"rich_text", rich_text(first.episode.title)}};
  if (has("Time", "rich_text")) {
    std::string times;
    for (const auto& c : snips)
      times += (times.empty() ? "" : ", ") + format_clock(c.snip.start_ms) + "–" +
               format_clock(c.snip.end_ms);
    props["Time"] = {{"rich_text", rich_text(times)}};
  }
  if (has("Link", "url"))
    props["Link"] = {
        {"url", per_episode ? player_url(first.public_url, first.episode.id, 0) : link_of(first)}};
  if (has("Date", "date") && first.episode.published_at)
    props["Date"] = {
        {"date", {{"start", format_iso8601(*first.episode.published_at).substr(0, 10)}}}};
  return props;
}

Json notion_blocks(const std::vector<SnipContext>& snips, bool per_episode) {
  Json out = Json::array();
  for (const auto& c : snips) {
    if (per_episode) {
      out.push_back(block("heading_2", (c.snip.title.empty() ? "Snip" : c.snip.title) + " (" +
                                           format_clock(c.snip.start_ms) + ")"));
    }
    snip_blocks(c, out);
    out.push_back(block("paragraph", "Listen: " + link_of(c)));
  }
  return out;
}

NotionClient::NotionClient(net::HttpClient& http, std::string base_url, std::string token,
                           RetryPolicy retry)
    : http_(http),
      base_url_(std::move(base_url)),
      token_(std::move(token)),
      retry_(std::move(retry)) {
  while (!base_url_.empty() && base_url_.back() == '/') base_url_.pop_back();
}

Result<net::Response> NotionClient::send(const std::string& method, const std::string& path,
                                         const std::string& body) {
  net::Request request;
  request.method = method;
  request.url = base_url_ + path;
  request.headers = {{"Authorization", "Bearer " + token_},
                     {"Notion-Version", std::string(kNotionVersion)}};
  if (!body.empty()) {
    request.headers.emplace_back("Content-Type", "application/json");
    request.body = body;
  }
  auto response = send_with_retry(http_, request, retry_, "Notion");
  if (!response) return response.error();
  if (response->status == 401)
    return invalid_input(
        "Notion refused the integration token (HTTP 401: " + excerpt(response->body) +
        "); set the integration's secret as " + token_setting_);
  if (response->status == 429)
    return unavailable(
        "Notion is still rate-limiting hark (HTTP 429); run the export again in a "
        "minute — what was sent is remembered");
  if (response->status >= 500)
    return unavailable("Notion failed (HTTP " + std::to_string(response->status) +
                       "); run the export again later — what was sent is remembered");
  return response;
}

Result<NotionDatabase> NotionClient::database(const std::string& database_id) {
  auto response = send("GET", "/v1/databases/" + percent_encode(database_id), "");
  if (!response) return response.error();
  if (response->status == 404 || response->status == 403)
    return invalid_input("Notion has no database " + database_id +
                         " that hark's integration can see (" + excerpt(response->body) +
                         "): it was deleted, or is not shared with the integration (in Notion: "
                         "••• → Connections → add it); check " +
                         database_setting_);
  if (response->status / 100 != 2)
    return invalid_input("Notion refused to read database " + database_id + " (HTTP " +
                         std::to_string(response->status) + ": " + excerpt(response->body) + ")");
  const auto j = Json::parse(response->body, nullptr, false);
  NotionDatabase db;
  db.id = database_id;
  if (j.is_object() && j.contains("properties") && j["properties"].is_object()) {
    for (const auto& [name, prop] : j["properties"].items()) {
      const std::string type = prop.is_object() ? prop.value("type", "") : "";
      db.properties[name] = type;
      if (type == "title") db.title_property = name;
    }
  }
  if (db.title_property.empty())
    return invalid_input("Notion's answer for database " + database_id +
                         " has no title property; is the id a database's (not a page's)?");
  return db;
}

Result<std::string> NotionClient::create_page(const std::string& database_id,
                                              const Json& properties, const Json& children) {
  Json first = Json::array();
  for (std::size_t i = 0; i < children.size() && i < kNotionMaxChildren; ++i)
    first.push_back(children[i]);
  const Json body = {{"parent", {{"database_id", database_id}}},
                     {"properties", properties},
                     {"children", std::move(first)}};
  auto response = send("POST", "/v1/pages", body.dump());
  if (!response) return response.error();
  if (response->status == 404)
    return invalid_input("Notion has no database " + database_id +
                         " that hark's integration can see (" + excerpt(response->body) +
                         "); check " + database_setting_ +
                         " and that the database is shared with the integration");
  if (response->status / 100 != 2)
    return invalid_input("Notion did not accept a page (HTTP " + std::to_string(response->status) +
                         ": " + excerpt(response->body) + ")");
  const auto j = Json::parse(response->body, nullptr, false);
  if (!j.is_object() || !j.contains("id") || !j["id"].is_string())
    return internal_error("Notion's answer named no page id");
  return j["id"].get<std::string>();
}

Result<bool> NotionClient::update_page(const std::string& page_id, const Json& properties,
                                       const Json& children) {
  const std::string path = "/v1/pages/" + percent_encode(page_id);
  auto patched = send("PATCH", path, Json{{"properties", properties}}.dump());
  if (!patched) return patched.error();
  if (patched->status == 404) return false;
  const auto answer = Json::parse(patched->body, nullptr, false);
  if (patched->status / 100 == 2 && answer.is_object() &&
      (answer.value("archived", false) || answer.value("in_trash", false)))
    return false;
  if (patched->status == 400 && excerpt(patched->body).find("archived") != std::string::npos)
    return false;
  if (patched->status / 100 != 2)
    return invalid_input("Notion did not accept an update of page " + page_id + " (HTTP " +
                         std::to_string(patched->status) + ": " + excerpt(patched->body) + ")");
  // The body: remove the old blocks, then append the new ones.
  const std::string blocks = "/v1/blocks/" + percent_encode(page_id) + "/children";
  std::vector<std::string> old_ids;
  std::string cursor;
  while (true) {
    auto listed = send("GET",
                       blocks + "?page_size=100" +
                           (cursor.empty() ? "" : "&start_cursor=" + percent_encode(cursor)),
                       "");
    if (!listed) return listed.error();
    if (listed->status / 100 != 2)
      return invalid_input("Notion did not list page " + page_id + "'s blocks (HTTP " +
                           std::to_string(listed->status) + ")");
    const auto j = Json::parse(listed->body, nullptr, false);
    if (!j.is_object()) return internal_error("Notion's block list is not JSON");
    for (const auto& b : j.value("results", Json::array()))
      if (b.is_object() && b.contains("id") && b["id"].is_string()) old_ids.push_back(b["id"]);
    if (!j.value("has_more", false) || !j.contains("next_cursor") || !j["next_cursor"].is_string())
      break;
    cursor = j["next_cursor"].get<std::string>();
  }
  for (const auto& id : old_ids) {
    auto removed = send("DELETE", "/v1/blocks/" + percent_encode(id), "");
    if (!removed) return removed.error();
    if (removed->status / 100 != 2 && removed->status != 404)
      return invalid_input("Notion did not remove an old block of page " + page_id + " (HTTP " +
                           std::to_string(removed->status) + ")");
  }
  HARK_TRY(append_blocks(page_id, children));
  return true;
}

Status NotionClient::append_blocks(const std::string& page_id, const Json& children,
                                   std::size_t from) {
  const std::string blocks = "/v1/blocks/" + percent_encode(page_id) + "/children";
  for (std::size_t at = from; at < children.size(); at += kNotionMaxChildren) {
    Json batch = Json::array();
    for (std::size_t i = at; i < children.size() && i < at + kNotionMaxChildren; ++i)
      batch.push_back(children[i]);
    auto appended = send("PATCH", blocks, Json{{"children", std::move(batch)}}.dump());
    if (!appended) return appended.error();
    if (appended->status / 100 != 2)
      return invalid_input("Notion did not accept page " + page_id + "'s blocks " +
                           std::to_string(at + 1) + "–" +
                           std::to_string(std::min(children.size(), at + kNotionMaxChildren)) +
                           " of " + std::to_string(children.size()) + " (HTTP " +
                           std::to_string(appended->status) + ": " + excerpt(appended->body) + ")");
  }
  return ok();
}

}  // namespace hark::exports
