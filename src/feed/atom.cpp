#include <pugixml.hpp>

#include "core/text.hpp"
#include "core/time.hpp"
#include "feed/document.hpp"
#include "feed/readers.hpp"

namespace hark::feed::detail {
namespace {

// Atom elements: in the Atom 1.0 or 0.3 namespace, or unprefixed in a feed that forgot it.
bool is_atom(const QName& q, pugi::xml_node node) {
  return q.ns == Ns::Atom || q.ns == Ns::Atom03 || std::string_view(node.name()) == q.local;
}

// An Atom text construct (title, summary, content): type="xhtml" (or 0.3's mode="xml") holds
// markup inside a <div>; "html" holds escaped markup, which pugixml has already unescaped.
std::string atom_text(pugi::xml_node node) {
  const auto type = text::to_lower_ascii(attr(node, "type"));
  if (type == "xhtml" || text::iequals(attr(node, "mode"), "xml")) {
    const auto div =
        node.find_child([](pugi::xml_node c) { return c.type() == pugi::node_element; });
    const std::string_view name = div ? div.name() : "";
    if (name == "div" || name.ends_with(":div")) return markup_of(div);
  }
  return markup_of(node);
}

std::string_view link_rel(pugi::xml_node link) {
  const auto rel = attr(link, "rel");
  return rel.empty() ? std::string_view("alternate") : rel;
}

std::optional<Millis> read_date(pugi::xml_node node, Context& ctx, const std::string& label) {
  const auto raw = text_of(node);
  if (raw.empty()) return std::nullopt;
  const auto d = parse_date(raw);
  if (!d)
    ctx.warnings.add_capped("date", label + " has a date hark cannot read ('" +
                                        text::truncate_utf8(raw, 40) + "'): left empty");
  return d;
}

std::string first_title(pugi::xml_node entry, const Context& ctx) {
  for (auto c = entry.first_child(); c; c = c.next_sibling())
    if (const auto q = ctx.ns.name_of(c); q.local == "title" && is_atom(q, c))
      return text::collapse_whitespace(atom_text(c));
  return {};
}

bool read_entry(pugi::xml_node entry, std::size_t index, Episode& e,
                std::optional<bool>& explicit_flag, Context& ctx) {
  const auto label = item_label(index, first_title(entry, ctx));
  std::optional<Millis> updated;
  for (auto c = entry.first_child(); c; c = c.next_sibling()) {
    if (c.type() != pugi::node_element) continue;
    const auto q = ctx.ns.name_of(c);
    const auto& l = q.local;
    if (!is_atom(q, c)) {
      read_episode_extension(q, c, e, explicit_flag, ctx, label);
      continue;
    }
    if (l == "id")
      e.guid = text_of(c);
    else if (l == "title")
      e.title = text::collapse_whitespace(atom_text(c));
    else if (l == "summary") {
      if (auto s = atom_text(c); !s.empty()) e.description = std::move(s);
    } else if (l == "content") {
      e.content_html = atom_text(c);
    } else if (l == "published" || l == "issued" || l == "created") {
      if (const auto d = read_date(c, ctx, label)) e.published_at = d;
    } else if (l == "updated" || l == "modified") {
      updated = read_date(c, ctx, label);
    } else if (l == "link") {
      const auto rel = link_rel(c);
      if (rel == "enclosure" && e.enclosure_url.empty()) {
        e.enclosure_url = ctx.url(attr(c, "href"), c);
        e.enclosure_type = std::string(attr(c, "type"));
        e.enclosure_length = parse_length(attr(c, "length"));
      } else if (rel == "alternate" && e.link.empty()) {
        e.link = ctx.url(attr(c, "href"), c);
      }
    }
  }
  if (!e.published_at) e.published_at = updated;
  if (e.description.empty() && !e.content_html.empty()) e.description = e.content_html;
  if (e.enclosure_url.empty()) {
    ctx.warnings.add_capped("enclosure",
                            label + " has no enclosure link (no audio or video): skipped");
    return false;
  }
  return true;
}

void read_feed_element(const QName& q, pugi::xml_node c, Podcast& p, Context& ctx) {
  const auto& l = q.local;
  if (!is_atom(q, c)) {
    read_podcast_extension(q, c, p, ctx);
    return;
  }
  if (l == "title")
    p.title = text::collapse_whitespace(atom_text(c));
  else if (l == "subtitle" || l == "tagline") {
    if (auto s = atom_text(c); !s.empty()) p.description = std::move(s);
  } else if (l == "link" && link_rel(c) == "alternate" && p.link.empty())
    p.link = ctx.url(attr(c, "href"), c);
  else if (l == "logo")
    p.image_url = ctx.url(text_of(c), c);
  else if (l == "icon" && p.image_url.empty())
    p.image_url = ctx.url(text_of(c), c);
  else if (l == "author" && p.author.empty()) {
    for (auto n = c.first_child(); n; n = n.next_sibling())
      if (ctx.ns.name_of(n).local == "name") p.author = text::collapse_whitespace(text_of(n));
  }
}

}  // namespace

Result<Feed> read_atom(pugi::xml_node root, Context& ctx) {
  Feed f;
  f.format = Format::Atom;
  f.podcast.language = std::string(attr(root, "xml:lang"));
  std::vector<std::optional<bool>> explicit_flags;
  std::size_t index = 0;
  for (auto c = root.first_child(); c; c = c.next_sibling()) {
    if (c.type() != pugi::node_element) continue;
    const auto q = ctx.ns.name_of(c);
    if (q.local == "entry" && is_atom(q, c)) {
      Episode e;
      std::optional<bool> flag;
      if (read_entry(c, ++index, e, flag, ctx)) {
        f.episodes.push_back(std::move(e));
        explicit_flags.push_back(flag);
      }
    } else {
      read_feed_element(q, c, f.podcast, ctx);
    }
  }
  finish_episodes(f.podcast, f.episodes, explicit_flags);
  return f;
}

}  // namespace hark::feed::detail
