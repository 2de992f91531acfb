#include <pugixml.hpp>

#include "core/text.hpp"
#include "core/time.hpp"
#include "feed/document.hpp"
#include "feed/readers.hpp"

namespace hark::feed::detail {
namespace {

// RSS core elements are unprefixed (RSS 2.0 has no namespace; RSS 1.0 has a default one).
bool is_core(const QName& q, pugi::xml_node node) {
  return q.ns == Ns::None || q.ns == Ns::Rss10 || std::string_view(node.name()) == q.local;
}

struct MediaFallback {
  std::string url, type;
  std::int64_t length = 0;
};

void read_media_content(pugi::xml_node node, MediaFallback& m, const Context& ctx) {
  if (!m.url.empty()) return;
  m.url = ctx.url(attr(node, "url"), node);
  m.type = std::string(attr(node, "type"));
  m.length = parse_length(attr(node, "fileSize"));
}

std::string first_title(pugi::xml_node item, const Context& ctx) {
  for (auto c = item.first_child(); c; c = c.next_sibling())
    if (const auto q = ctx.ns.name_of(c); q.local == "title" && is_core(q, c))
      return text::collapse_whitespace(text_of(c));
  return {};
}

void read_date(pugi::xml_node node, Episode& e, Context& ctx, const std::string& label) {
  const auto raw = text_of(node);
  if (raw.empty()) return;
  e.published_at = parse_date(raw);
  if (!e.published_at)
    ctx.warnings.add_capped("date", label + " has a date hark cannot read ('" +
                                        text::truncate_utf8(raw, 40) + "'): left empty");
}

// Reads one <item>; returns false (with a warning) when it is not a playable episode.
bool read_item(pugi::xml_node item, std::size_t index, Episode& e,
               std::optional<bool>& explicit_flag, Context& ctx) {
  const auto label = item_label(index, first_title(item, ctx));
  MediaFallback media;
  for (auto c = item.first_child(); c; c = c.next_sibling()) {
    if (c.type() != pugi::node_element) continue;
    const auto q = ctx.ns.name_of(c);
    const auto& l = q.local;
    if (is_core(q, c)) {
      if (l == "title")
        e.title = text::collapse_whitespace(text_of(c));
      else if (l == "guid")
        e.guid = text_of(c);
      else if (l == "link")
        e.link = ctx.url(text_of(c), c);
      else if (l == "description") {
        if (auto d = markup_of(c); !d.empty()) e.description = std::move(d);
      } else if (l == "pubDate")
        read_date(c, e, ctx, label);
      else if (l == "enclosure" && e.enclosure_url.empty()) {
        e.enclosure_url = ctx.url(attr(c, "url"), c);
        e.enclosure_type = std::string(attr(c, "type"));
        e.enclosure_length = parse_length(attr(c, "length"));
      }
    } else if (q.ns == Ns::Media) {
      if (l == "content")
        read_media_content(c, media, ctx);
      else if (l == "group")
        for (auto m = c.first_child(); m; m = m.next_sibling())
          if (ctx.ns.name_of(m).local == "content") read_media_content(m, media, ctx);
    } else {
      read_episode_extension(q, c, e, explicit_flag, ctx, label);
    }
  }
  if (e.enclosure_url.empty() && !media.url.empty()) {
    e.enclosure_url = std::move(media.url);
    e.enclosure_type = std::move(media.type);
    e.enclosure_length = media.length;
    ctx.warnings.add_capped("media", label + " has no <enclosure>; used its media:content instead");
  }
  if (e.enclosure_url.empty()) {
    ctx.warnings.add_capped("enclosure", label + " has no enclosure (no audio or video): skipped");
    return false;
  }
  return true;
}

void read_channel_element(const QName& q, pugi::xml_node c, Podcast& p, Context& ctx) {
  const auto& l = q.local;
  if (!is_core(q, c)) {
    read_podcast_extension(q, c, p, ctx);
    return;
  }
  if (l == "title")
    p.title = text::collapse_whitespace(text_of(c));
  else if (l == "link" && p.link.empty())
    p.link = ctx.url(text_of(c), c);
  else if (l == "description") {
    if (auto d = markup_of(c); !d.empty()) p.description = std::move(d);
  } else if (l == "language")
    p.language = text_of(c);
  else if (l == "managingEditor" && p.author.empty())
    p.author = text::collapse_whitespace(text_of(c));
  else if (l == "image" && p.image_url.empty()) {
    for (auto u = c.first_child(); u; u = u.next_sibling())
      if (ctx.ns.name_of(u).local == "url") p.image_url = ctx.url(text_of(u), u);
    if (p.image_url.empty()) p.image_url = ctx.url(attr(c, "rdf:resource"), c);
  }
}

}  // namespace

Result<Feed> read_rss(pugi::xml_node root, Context& ctx) {
  pugi::xml_node channel;
  for (auto c = root.first_child(); c && !channel; c = c.next_sibling())
    if (ctx.ns.name_of(c).local == "channel") channel = c;
  if (!channel)
    return invalid_input("the RSS document has no <channel> element, so no podcast in it");
  ctx.ns.declare_from(channel);

  Feed f;
  f.format = Format::Rss;
  std::vector<std::optional<bool>> explicit_flags;
  std::size_t index = 0;
  auto take_item = [&](pugi::xml_node item) {
    Episode e;
    std::optional<bool> flag;
    if (read_item(item, ++index, e, flag, ctx)) {
      f.episodes.push_back(std::move(e));
      explicit_flags.push_back(flag);
    }
  };
  for (auto c = channel.first_child(); c; c = c.next_sibling()) {
    if (c.type() != pugi::node_element) continue;
    const auto q = ctx.ns.name_of(c);
    if (q.local == "item" && is_core(q, c))
      take_item(c);
    else
      read_channel_element(q, c, f.podcast, ctx);
  }
  // RSS 1.0 puts items next to the channel, not inside it.
  for (auto c = channel.next_sibling(); c; c = c.next_sibling())
    if (const auto q = ctx.ns.name_of(c); q.local == "item" && is_core(q, c)) take_item(c);

  finish_episodes(f.podcast, f.episodes, explicit_flags);
  return f;
}

}  // namespace hark::feed::detail
