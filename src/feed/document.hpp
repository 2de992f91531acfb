// Internal to hark_feed: what the RSS and Atom readers share — namespace resolution by URI,
// text extraction from pugixml nodes, value parsers for feed notations, and the warning list.
#pragma once

#include <map>
#include <optional>
#include <pugixml.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/model.hpp"

namespace hark::feed::detail {

// Collects warnings. Per-item warnings of one kind are capped so that a feed with 20,000
// broken items yields a readable list: the first few verbatim, then one summary line.
class Warnings {
 public:
  void add(std::string message) { list_.push_back(std::move(message)); }
  // `kind` groups messages ("no enclosure"); `summary` words the overflow line.
  void add_capped(std::string_view kind, std::string message);
  // The final list: plain messages, then one "... and N more" line per overflowing kind.
  std::vector<std::string> take();

 private:
  static constexpr int kPerKind = 5;
  std::vector<std::string> list_;
  std::map<std::string, int, std::less<>> counts_;
};

enum class Ns {
  None,
  Atom,
  Atom03,
  Itunes,
  Content,
  Podcast,
  Media,
  Dc,
  GooglePlay,
  Rdf,
  Rss10,
  Other
};

struct QName {
  Ns ns = Ns::None;
  std::string_view local;
};

// Prefix → namespace, from the xmlns declarations hark has seen. Podcast feeds declare their
// namespaces on the root element; declarations deeper down are looked up when a prefix is
// not known. Undeclared conventional prefixes (`itunes:`, `podcast:`) are accepted as such.
class Namespaces {
 public:
  void declare_from(pugi::xml_node node);
  QName name_of(pugi::xml_node node) const;
  static Ns from_uri(std::string_view uri);

 private:
  Ns resolve(std::string_view prefix, pugi::xml_node node) const;
  std::vector<std::pair<std::string, Ns>> prefixes_;
  Ns default_ns_ = Ns::None;
};

// Text of an element: all PCDATA/CDATA children concatenated, trimmed.
std::string text_of(pugi::xml_node node);
// Like text_of, but when a publisher wrote HTML without escaping it (<description><p>..),
// the child elements are serialised back to markup instead of being lost.
std::string markup_of(pugi::xml_node node);
std::string_view attr(pugi::xml_node node, const char* name);

std::optional<bool> parse_explicit(std::string_view s);  // yes/true/explicit, clean/no/false
std::optional<int> parse_int(std::string_view s);        // non-negative, whole string
std::int64_t parse_length(std::string_view s);           // garbage or negative -> 0
std::optional<bool> parse_yes_no(std::string_view s);

// What a reader needs while walking a document.
struct Context {
  Namespaces ns;
  std::string base_url;  // the URL the feed was fetched from (may be empty)
  bool has_xml_base = false;
  Warnings warnings;

  // Resolves a URL found at `node` against xml:base (when the document uses it) and base_url.
  std::string url(std::string_view ref, pugi::xml_node node) const;
};

// "item 12 ('Title')": how warnings name an item.
std::string item_label(std::size_t index, std::string_view title);

// Shared Podcasting 2.0 / iTunes handling for <channel>/<feed> and <item>/<entry> children.
// Return true when the element was recognised.
bool read_podcast_extension(const QName& name, pugi::xml_node node, Podcast& p, Context& ctx);
bool read_episode_extension(const QName& name, pugi::xml_node node, Episode& e,
                            std::optional<bool>& explicit_flag, Context& ctx,
                            std::string_view label);

// Person inheritance, explicit inheritance; called once all items have been read.
void finish_episodes(const Podcast& p, std::vector<Episode>& episodes,
                     const std::vector<std::optional<bool>>& explicit_flags);

}  // namespace hark::feed::detail
