#include "server/share_page.hpp"

#include <algorithm>

#include "core/text.hpp"
#include "core/time.hpp"
#include "server/api_support.hpp"
#include "server/artwork.hpp"
#include "server/sanitize.hpp"

namespace hark::server {
namespace {

bool valid_share_id(std::string_view id) {
  return !id.empty() && id.size() <= 64 && std::all_of(id.begin(), id.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
  });
}

std::string esc(std::string_view s) {
  return text::escape_html(s, /*attribute=*/true);
}

// At most `max` bytes of `s` at a word boundary, with an ellipsis when cut (UTF-8 safe:
// only cuts at a space).
std::string shorten(const std::string& s, std::size_t max) {
  if (s.size() <= max) return s;
  auto cut = s.rfind(' ', max);
  if (cut == std::string::npos || cut < max / 2) cut = max;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  return s.substr(0, cut) + "…";
}

std::string seconds(Millis ms) {
  const auto whole = ms / 1000, frac = (ms % 1000) / 100;
  return std::to_string(whole) + (frac ? "." + std::to_string(frac) : "");
}

Response html_response(int status, std::string body) {
  Response r;
  r.status = status;
  r.content_type = "text/html; charset=utf-8";
  r.body = std::move(body);
  // Shared pages change when the owner edits or deletes the snip: revalidate soon.
  r.set_header("Cache-Control", status == 200 ? "public, max-age=60" : "no-store");
  return r;
}

Response not_shared() {
  return html_response(404, R"(<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>Not found · hark</title><link rel="stylesheet" href="/share.css"></head>
<body><main class="share"><h1>This snip isn’t shared</h1>
<p>The link may be mistyped, or its owner deleted the snip.</p></main></body></html>
)");
}

void meta(std::string& out, std::string_view attr, std::string_view name, std::string_view value) {
  if (value.empty()) return;
  out += "<meta ";
  out += attr;
  out += "=\"";
  out += name;
  out += "\" content=\"" + esc(value) + "\">\n";
}

}  // namespace

bool is_share_path(std::string_view path) {
  return path.rfind("/s/", 0) == 0;
}

Response serve_share(Context& ctx, const Request& request) {
  if (request.method != "GET" && request.method != "HEAD") {
    auto r = error_response(405, "method_not_allowed", request.method + " is not allowed here");
    r.set_header("Allow", "GET, HEAD");
    return r;
  }
  std::string_view rest = std::string_view(request.path).substr(3);
  bool audio = false;
  if (const auto slash = rest.find('/'); slash != std::string_view::npos) {
    if (rest.substr(slash) != "/audio") return not_shared();
    audio = true;
    rest = rest.substr(0, slash);
  }
  if (!valid_share_id(rest)) return not_shared();
  auto& store = ctx.app.store();
  auto snip = store.snips().find_shared(std::string(rest));
  if (!snip) return error_response(snip.error());
  if (!*snip) return not_shared();
  const auto& s = **snip;
  auto episode = store.episodes().find(s.episode_id);
  if (!episode) return not_shared();
  if (audio) {
    auto r = episode_audio(*episode, request);
    if (r.status == 200 || r.status == 206) r.set_header("Cache-Control", "public, max-age=3600");
    return r;
  }
  auto podcast = store.podcasts().find(episode->podcast_id);
  auto chapters = store.chapters().list(episode->id);

  const std::string base = public_base_url(ctx, request);
  const std::string page_url = base + "/s/" + *s.share_id;
  const std::string audio_url = "/s/" + *s.share_id + "/audio";
  const std::string clip_url = "/s/" + *s.share_id + "/clip";  // + .m4a or .mp3
  const std::string podcast_title = podcast ? podcast->title : "";
  // Absolute, for link previews: hark's artwork route when the browser could not load it.
  std::string image = episode_image_src(*episode, podcast ? &*podcast : nullptr);
  if (image.starts_with('/')) image = base + image;
  if (image.rfind("https://", 0) != 0 && image.rfind("http://", 0) != 0) image.clear();
  const std::string description = shorten(!s.summary.empty() ? s.summary : s.quote, 280);
  const std::string when = format_clock(s.start_ms) + "–" + format_clock(s.end_ms);
  const std::string full_episode =
      !episode->link.empty() && episode->link.rfind("http", 0) == 0 ? episode->link
      : episode->enclosure_url.rfind("http", 0) == 0                ? episode->enclosure_url
                                                                    : "";

  std::string out;
  out.reserve(8192);
  out += "<!doctype html>\n<html lang=\"en\"><head>\n<meta charset=\"utf-8\">\n";
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out += "<meta name=\"color-scheme\" content=\"light dark\">\n";
  out += "<meta name=\"robots\" content=\"noindex\">\n";
  out += "<title>" + esc(s.title) + (podcast_title.empty() ? "" : " · " + esc(podcast_title)) +
         "</title>\n";
  meta(out, "name", "description", description);
  out += "<link rel=\"canonical\" href=\"" + esc(page_url) + "\">\n";
  meta(out, "property", "og:type", "article");
  meta(out, "property", "og:site_name", "hark");
  meta(out, "property", "og:title", s.title);
  meta(out, "property", "og:description", description);
  meta(out, "property", "og:url", page_url);
  meta(out, "property", "og:image", image);
  meta(out, "property", "og:audio", base + audio_url);
  meta(out, "property", "og:audio:type", episode->enclosure_type);
  meta(out, "name", "twitter:card", image.empty() ? "summary" : "summary_large_image");
  meta(out, "name", "twitter:title", s.title);
  meta(out, "name", "twitter:description", description);
  meta(out, "name", "twitter:image", image);
  out += "<link rel=\"stylesheet\" href=\"/share.css\">\n</head>\n<body>\n<main class=\"share\">\n";
  out += "<header class=\"share-head\">";
  if (!image.empty())
    out += "<img src=\"" + esc(image) +
           "\" alt=\"\" width=\"96\" height=\"96\" "
           "referrerpolicy=\"no-referrer\">";
  out += "<div><p class=\"kicker\">" + esc(podcast_title) + "</p>";
  out += "<p class=\"episode\">" + esc(episode->title) + "</p></div></header>\n";
  out += "<article>\n<h1>" + esc(s.title) + "</h1>\n";
  out += "<p class=\"when\">A moment at " + esc(when) + "</p>\n";
  out += "<audio controls preload=\"metadata\" src=\"" + esc(audio_url) +
         "#t=" + seconds(s.start_ms) + "," + seconds(s.end_ms) + "\"></audio>\n";
  // Plain links: the download works without JavaScript (the server sends it as an attachment).
  out += "<p class=\"download\"><a class=\"button\" href=\"" + esc(clip_url) +
         ".m4a\" download>Download clip</a> <a href=\"" + esc(clip_url) +
         ".mp3\" download>as MP3</a></p>\n";
  if (!s.summary.empty()) out += "<p class=\"summary\">" + esc(s.summary) + "</p>\n";
  if (!s.takeaways.empty()) {
    out += "<h2>Takeaways</h2>\n<ul class=\"takeaways\">\n";
    for (const auto& t : s.takeaways) out += "<li>" + esc(t) + "</li>\n";
    out += "</ul>\n";
  }
  if (!s.quote.empty()) {
    out += "<blockquote><p>“" + esc(s.quote) + "”</p>";
    if (!s.quote_speaker.empty()) out += "<footer>— " + esc(s.quote_speaker) + "</footer>";
    out += "</blockquote>\n";
  }
  if (!full_episode.empty())
    out += "<p><a class=\"button\" href=\"" + esc(full_episode) +
           "\" rel=\"noopener nofollow\">Listen to the full episode</a></p>\n";
  out += "</article>\n";
  const std::string& notes =
      episode->content_html.empty() ? episode->description : episode->content_html;
  if (!notes.empty()) {
    out += "<section><h2>About this episode</h2>\n<div class=\"notes\">" + sanitize_html(notes) +
           "</div></section>\n";
  }
  if (chapters && !chapters->empty()) {
    out += "<section><h2>Chapters</h2>\n<ol class=\"chapters\">\n";
    for (const auto& c : *chapters)
      out += "<li><span class=\"ts\">" + esc(format_clock(c.start_ms)) + "</span> " + esc(c.title) +
             "</li>\n";
    out += "</ol></section>\n";
  }
  out += "<footer class=\"share-foot\">Shared with <a href=\"" + esc(base) +
         "/\">hark</a>, a self-hosted podcast player.</footer>\n";
  out += "</main>\n</body></html>\n";
  return html_response(200, std::move(out));
}

}  // namespace hark::server
