#include "export/feeds.hpp"

#include <algorithm>
#include <cstdio>
#include <ctime>

#include "core/text.hpp"
#include "core/time.hpp"
#include "export/links.hpp"

namespace hark::exports {
namespace {

std::string xml(std::string_view s) {
  return text::escape_html(text::sanitize_utf8(s), /*attribute=*/true);
}

std::string rfc822(Millis unix_ms) {
  const std::time_t t = static_cast<std::time_t>(unix_ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buffer[64];
  std::strftime(buffer, sizeof buffer, "%a, %d %b %Y %H:%M:%S +0000", &tm);
  return buffer;
}

std::string seconds(Millis ms) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.3f", static_cast<double>(ms) / 1000.0);
  return buffer;
}

std::string link_of(const SnipContext& c) {
  return c.snip.share_id ? share_url(c.public_url, *c.snip.share_id)
                         : player_url(c.public_url, c.snip.episode_id, c.snip.start_ms);
}

std::string description(const SnipContext& c) {
  const auto& s = c.snip;
  std::string html;
  if (!s.summary.empty()) html += "<p>" + text::escape_html(s.summary) + "</p>";
  if (!s.takeaways.empty()) {
    html += "<ul>";
    for (const auto& t : s.takeaways) html += "<li>" + text::escape_html(t) + "</li>";
    html += "</ul>";
  }
  if (!s.quote.empty()) {
    html += "<blockquote>" + text::escape_html(s.quote);
    if (!s.quote_speaker.empty()) html += " — " + text::escape_html(s.quote_speaker);
    html += "</blockquote>";
  }
  if (!s.note.empty()) html += "<p><strong>My note:</strong> " + text::escape_html(s.note) + "</p>";
  html += "<p>" + text::escape_html(c.episode.title) + " · " + text::escape_html(c.podcast.title) +
          " · " + format_clock(s.start_ms) + "–" + format_clock(s.end_ms) + "</p>";
  return html;
}

}  // namespace

std::string snips_rss(const SnipsFeed& feed) {
  std::string out =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\">\n<channel>\n";
  out += "  <title>" + xml(feed.title) + "</title>\n";
  out += "  <link>" + xml(feed.home_url) + "</link>\n";
  out += "  <description>Moments saved in hark</description>\n";
  out += "  <atom:link href=\"" + xml(feed.self_url) +
         "\" rel=\"self\" type=\"application/rss+xml\"/>\n";
  out += "  <generator>hark</generator>\n";
  if (!feed.snips.empty())
    out += "  <lastBuildDate>" + rfc822(feed.snips.front().snip.updated_at) + "</lastBuildDate>\n";
  for (const auto& c : feed.snips) {
    const auto& s = c.snip;
    out += "  <item>\n";
    out += "    <title>" + xml(s.title.empty() ? "Snip at " + format_clock(s.start_ms) : s.title) +
           "</title>\n";
    out += "    <link>" + xml(link_of(c)) + "</link>\n";
    out += "    <guid isPermaLink=\"false\">hark-snip-" + std::to_string(s.id) + "</guid>\n";
    out += "    <pubDate>" + rfc822(s.created_at) + "</pubDate>\n";
    out += "    <description>" + xml(description(c)) + "</description>\n";
    out += "  </item>\n";
  }
  out += "</channel>\n</rss>\n";
  return out;
}

nlohmann::json soundbites_json(const std::vector<SnipContext>& snips) {
  std::vector<const SnipContext*> shared;
  for (const auto& c : snips)
    if (c.snip.share_id) shared.push_back(&c);
  std::stable_sort(shared.begin(), shared.end(),
                   [](auto* a, auto* b) { return a->snip.start_ms < b->snip.start_ms; });
  nlohmann::json list = nlohmann::json::array();
  std::string tags;
  for (const auto* c : shared) {
    const auto& s = c->snip;
    const std::string title = text::truncate_utf8(text::collapse_whitespace(s.title), 128);
    list.push_back({{"startTime", static_cast<double>(s.start_ms) / 1000.0},
                    {"duration", static_cast<double>(s.end_ms - s.start_ms) / 1000.0},
                    {"title", title},
                    {"snip_id", s.id},
                    {"url", link_of(*c)}});
    tags += "<podcast:soundbite startTime=\"" + seconds(s.start_ms) + "\" duration=\"" +
            seconds(s.end_ms - s.start_ms) + "\">" + xml(title) + "</podcast:soundbite>\n";
  }
  return {{"soundbites", list}, {"tags", tags}};
}

}  // namespace hark::exports
