#include "feed/document.hpp"

#include <charconv>

#include "core/text.hpp"
#include "core/time.hpp"
#include "feed/url.hpp"

namespace hark::feed::detail {
namespace {

bool contains_icase(std::string_view hay, std::string_view needle) {
  if (needle.size() > hay.size()) return false;
  for (std::size_t i = 0; i + needle.size() <= hay.size(); ++i)
    if (text::iequals(hay.substr(i, needle.size()), needle)) return true;
  return false;
}

Ns conventional_prefix(std::string_view prefix) {
  if (prefix == "itunes") return Ns::Itunes;
  if (prefix == "podcast") return Ns::Podcast;
  if (prefix == "content") return Ns::Content;
  if (prefix == "media") return Ns::Media;
  if (prefix == "dc") return Ns::Dc;
  if (prefix == "atom") return Ns::Atom;
  if (prefix == "googleplay") return Ns::GooglePlay;
  if (prefix == "rdf") return Ns::Rdf;
  return Ns::Other;
}

// Sets `dst` from `value` when `value` is not empty and either `prefer` or `dst` is empty:
// preferred sources override, fallbacks only fill gaps, whatever the element order.
void set_text(std::string& dst, std::string value, bool prefer) {
  if (value.empty()) return;
  if (prefer || dst.empty()) dst = std::move(value);
}

// itunes:season/episode win over podcast:season/episode, but only when they are readable.
void set_int(std::optional<int>& dst, std::string_view value) {
  if (const auto v = parse_int(value)) dst = v;
}

std::optional<Millis> seconds_attr(pugi::xml_node node, const char* name) {
  return parse_duration(attr(node, name));
}

Person read_person(pugi::xml_node node, const Context& ctx) {
  Person p;
  p.name = text::collapse_whitespace(text_of(node));
  if (const auto role = attr(node, "role"); !text::trim(role).empty())
    p.role = text::to_lower_ascii(text::trim(role));
  if (const auto group = attr(node, "group"); !text::trim(group).empty())
    p.group = text::to_lower_ascii(text::trim(group));
  p.img = ctx.url(attr(node, "img"), node);
  p.href = ctx.url(attr(node, "href"), node);
  return p;
}

void read_soundbite(pugi::xml_node node, Episode& e, Context& ctx, std::string_view label) {
  const auto start = seconds_attr(node, "startTime");
  const auto duration = seconds_attr(node, "duration");
  if (!start || !duration || *duration <= 0) {
    ctx.warnings.add_capped("soundbite", std::string(label) +
                                             " has a podcast:soundbite without a valid startTime "
                                             "and duration: skipped");
    return;
  }
  e.soundbites.push_back({*start, *duration, text::collapse_whitespace(text_of(node))});
}

void read_duration(pugi::xml_node node, Episode& e, Context& ctx, std::string_view label) {
  const auto raw = text_of(node);
  if (raw.empty()) return;
  const auto d = parse_duration(raw);
  if (!d) {
    ctx.warnings.add_capped("duration", std::string(label) +
                                            " has an itunes:duration hark cannot read ('" +
                                            text::truncate_utf8(raw, 40) + "'): left empty");
    return;
  }
  if (*d > 0) e.duration_ms = d;  // "0" is what many hosts publish when they do not know
}

}  // namespace

void Warnings::add_capped(std::string_view kind, std::string message) {
  auto it = counts_.find(kind);
  if (it == counts_.end()) it = counts_.emplace(std::string(kind), 0).first;
  if (++it->second <= kPerKind) list_.push_back(std::move(message));
}

std::vector<std::string> Warnings::take() {
  for (const auto& [kind, count] : counts_)
    if (count > kPerKind)
      list_.push_back("... and " + std::to_string(count - kPerKind) +
                      " more warnings of the same kind (" + kind + ")");
  counts_.clear();
  return std::move(list_);
}

Ns Namespaces::from_uri(std::string_view uri) {
  uri = text::trim(uri);
  if (uri.empty()) return Ns::None;
  if (contains_icase(uri, "itunes.com/dtds/podcast")) return Ns::Itunes;
  if (contains_icase(uri, "podcastindex") || contains_icase(uri, "podcast-namespace"))
    return Ns::Podcast;
  if (contains_icase(uri, "purl.org/rss/1.0/modules/content")) return Ns::Content;
  if (contains_icase(uri, "w3.org/2005/atom")) return Ns::Atom;
  if (contains_icase(uri, "purl.org/atom/ns")) return Ns::Atom03;
  if (contains_icase(uri, "search.yahoo.com/mrss")) return Ns::Media;
  if (contains_icase(uri, "purl.org/dc/elements")) return Ns::Dc;
  if (contains_icase(uri, "google.com/schemas/play-podcasts")) return Ns::GooglePlay;
  if (contains_icase(uri, "w3.org/1999/02/22-rdf-syntax-ns")) return Ns::Rdf;
  if (contains_icase(uri, "purl.org/rss/1.0")) return Ns::Rss10;
  return Ns::Other;
}

void Namespaces::declare_from(pugi::xml_node node) {
  for (auto a = node.first_attribute(); a; a = a.next_attribute()) {
    const std::string_view name = a.name();
    if (name == "xmlns") {
      default_ns_ = from_uri(a.value());
    } else if (name.starts_with("xmlns:")) {
      const auto prefix = name.substr(6);
      auto ns = from_uri(a.value());
      // Tolerate `xmlns:podcast="https://github.com/.../1.0.md"` and similar near-misses.
      if (ns == Ns::Other) ns = conventional_prefix(prefix);
      bool replaced = false;
      for (auto& [p, n] : prefixes_) {
        if (p != prefix) continue;
        n = ns;
        replaced = true;
      }
      if (!replaced) prefixes_.emplace_back(std::string(prefix), ns);
    }
  }
}

Ns Namespaces::resolve(std::string_view prefix, pugi::xml_node node) const {
  for (const auto& [p, n] : prefixes_)
    if (p == prefix) return n;
  const std::string decl = "xmlns:" + std::string(prefix);
  for (auto n = node; n; n = n.parent())
    if (const auto a = n.attribute(decl.c_str())) {
      const auto ns = from_uri(a.value());
      return ns == Ns::Other ? conventional_prefix(prefix) : ns;
    }
  return conventional_prefix(prefix);
}

QName Namespaces::name_of(pugi::xml_node node) const {
  const std::string_view name = node.name();
  const auto colon = name.find(':');
  if (colon == std::string_view::npos) return {default_ns_, name};
  return {resolve(name.substr(0, colon), node), name.substr(colon + 1)};
}

std::string text_of(pugi::xml_node node) {
  auto child = node.first_child();
  if (!child) return {};
  if (!child.next_sibling()) {  // the common case: one text or CDATA child
    const auto t = child.type();
    if (t != pugi::node_pcdata && t != pugi::node_cdata) return {};
    return std::string(text::trim(child.value()));
  }
  std::string out;
  for (; child; child = child.next_sibling()) {
    const auto t = child.type();
    if (t == pugi::node_pcdata || t == pugi::node_cdata) out.append(child.value());
  }
  return std::string(text::trim(out));
}

std::string markup_of(pugi::xml_node node) {
  bool has_elements = false;
  for (auto c = node.first_child(); c && !has_elements; c = c.next_sibling())
    has_elements = c.type() == pugi::node_element;
  if (!has_elements) return text_of(node);
  struct StringWriter : pugi::xml_writer {
    std::string out;
    void write(const void* data, size_t size) override {
      out.append(static_cast<const char*>(data), size);
    }
  } writer;
  for (auto c = node.first_child(); c; c = c.next_sibling()) c.print(writer, "", pugi::format_raw);
  return std::string(text::trim(writer.out));
}

std::string_view attr(pugi::xml_node node, const char* name) {
  return text::trim(node.attribute(name).value());
}

std::optional<bool> parse_explicit(std::string_view s) {
  const auto v = text::to_lower_ascii(text::trim(s));
  if (v == "yes" || v == "true" || v == "explicit") return true;
  if (v == "clean" || v == "no" || v == "false") return false;
  return std::nullopt;
}

std::optional<bool> parse_yes_no(std::string_view s) {
  const auto v = text::to_lower_ascii(text::trim(s));
  if (v == "yes" || v == "true") return true;
  if (v == "no" || v == "false") return false;
  return std::nullopt;
}

std::optional<int> parse_int(std::string_view s) {
  s = text::trim(s);
  int v = 0;
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || p != s.data() + s.size() || v < 0) return std::nullopt;
  return v;
}

std::int64_t parse_length(std::string_view s) {
  s = text::trim(s);
  std::int64_t v = 0;
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || p != s.data() + s.size() || v < 0) return 0;
  return v;
}

std::string Context::url(std::string_view ref, pugi::xml_node node) const {
  ref = text::trim(ref);
  if (ref.empty()) return {};
  if (!has_xml_base) return resolve_url(base_url, ref);
  std::vector<std::string_view> bases;  // innermost first
  for (auto n = node; n; n = n.parent())
    if (const auto a = n.attribute("xml:base")) bases.push_back(a.value());
  std::string base = base_url;
  for (auto it = bases.rbegin(); it != bases.rend(); ++it) base = resolve_url(base, *it);
  return resolve_url(base, ref);
}

std::string item_label(std::size_t index, std::string_view title) {
  std::string s = "item " + std::to_string(index);
  if (!title.empty()) s += " ('" + text::truncate_utf8(title, 60) + "')";
  return s;
}

bool read_podcast_extension(const QName& name, pugi::xml_node node, Podcast& p, Context& ctx) {
  const auto& l = name.local;
  if (name.ns == Ns::Itunes) {
    if (l == "author")
      set_text(p.author, text::collapse_whitespace(text_of(node)), true);
    else if (l == "image")
      set_text(p.image_url, ctx.url(attr(node, "href"), node), true);
    else if (l == "explicit")
      p.explicit_content = parse_explicit(text_of(node)).value_or(p.explicit_content);
    else if (l == "summary")
      set_text(p.description, markup_of(node), false);
    else if (l == "subtitle")
      set_text(p.description, text_of(node), false);
    else if (l == "new-feed-url")
      p.new_feed_url = ctx.url(text_of(node), node);
    else if (l == "owner") {
      for (auto c = node.first_child(); c; c = c.next_sibling())
        if (ctx.ns.name_of(c).local == "name")
          set_text(p.author, text::collapse_whitespace(text_of(c)), false);
    } else {
      return false;
    }
    return true;
  }
  if (name.ns == Ns::Podcast) {
    if (l == "guid")
      p.podcast_guid = text_of(node);
    else if (l == "locked") {
      p.locked = parse_yes_no(text_of(node)).value_or(false);
      p.locked_owner = std::string(attr(node, "owner"));
    } else if (l == "person") {
      auto person = read_person(node, ctx);
      if (!person.name.empty()) p.persons.push_back(std::move(person));
    } else {
      return false;
    }
    return true;
  }
  if (name.ns == Ns::Dc && l == "creator") {
    set_text(p.author, text::collapse_whitespace(text_of(node)), false);
    return true;
  }
  return false;
}

bool read_episode_extension(const QName& name, pugi::xml_node node, Episode& e,
                            std::optional<bool>& explicit_flag, Context& ctx,
                            std::string_view label) {
  const auto& l = name.local;
  switch (name.ns) {
    case Ns::Itunes:
      if (l == "duration")
        read_duration(node, e, ctx, label);
      else if (l == "image")
        set_text(e.image_url, ctx.url(attr(node, "href"), node), true);
      else if (l == "explicit")
        explicit_flag = parse_explicit(text_of(node));
      else if (l == "episode")
        set_int(e.episode_number, text_of(node));
      else if (l == "season")
        set_int(e.season, text_of(node));
      else if (l == "episodeType")
        e.episode_type = text::to_lower_ascii(text_of(node));
      else if (l == "summary")
        set_text(e.description, markup_of(node), false);
      else if (l == "title")
        set_text(e.title, text::collapse_whitespace(text_of(node)), false);
      else
        return false;
      return true;
    case Ns::Content:
      if (l != "encoded") return false;
      set_text(e.content_html, markup_of(node), true);
      return true;
    case Ns::Podcast:
      if (l == "transcript") {
        TranscriptLink t{ctx.url(attr(node, "url"), node), text::to_lower_ascii(attr(node, "type")),
                         std::string(attr(node, "language")), std::string(attr(node, "rel"))};
        if (!t.url.empty()) e.transcripts.push_back(std::move(t));
      } else if (l == "chapters") {
        if (e.chapters_url.empty()) {
          e.chapters_url = ctx.url(attr(node, "url"), node);
          e.chapters_type = text::to_lower_ascii(attr(node, "type"));
        }
      } else if (l == "soundbite") {
        read_soundbite(node, e, ctx, label);
      } else if (l == "person") {
        auto person = read_person(node, ctx);
        if (!person.name.empty()) e.persons.push_back(std::move(person));
      } else if (l == "season") {
        if (!e.season) e.season = parse_int(text_of(node));
      } else if (l == "episode") {
        if (!e.episode_number) e.episode_number = parse_int(text_of(node));
      } else {
        return false;
      }
      return true;
    case Ns::Dc:
      if (l != "date") return false;
      if (!e.published_at) e.published_at = parse_date(text_of(node));
      return true;
    default:
      return false;
  }
}

void finish_episodes(const Podcast& p, std::vector<Episode>& episodes,
                     const std::vector<std::optional<bool>>& explicit_flags) {
  for (std::size_t i = 0; i < episodes.size(); ++i) {
    auto& e = episodes[i];
    if (e.persons.empty()) e.persons = p.persons;
    e.explicit_content = explicit_flags[i].value_or(p.explicit_content);
  }
}

}  // namespace hark::feed::detail
