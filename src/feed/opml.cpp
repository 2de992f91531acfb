#include "feed/opml.hpp"

#include <pugixml.hpp>
#include <set>
#include <sstream>

#include "core/text.hpp"
#include "feed/document.hpp"
#include "feed/sniff.hpp"
#include "feed/url.hpp"
#include "feed/xml_prepare.hpp"

namespace hark::feed {
namespace {

// Attribute lookup ignoring letter case: OPML exporters write xmlUrl, xmlurl and XMLURL.
std::string_view attr_icase(pugi::xml_node node, std::string_view name) {
  for (auto a = node.first_attribute(); a; a = a.next_attribute())
    if (text::iequals(a.name(), name)) return text::trim(a.value());
  return {};
}

// The dedupe key: scheme and host lower-cased, the rest as written.
std::string url_key(std::string_view url) {
  const auto p = split_url(url);
  if (p.scheme.empty() || !p.has_authority) return std::string(url);
  std::string key = text::to_lower_ascii(p.scheme) + "://" + text::to_lower_ascii(p.authority);
  key.append(
      url.substr(static_cast<std::size_t>(p.authority.data() + p.authority.size() - url.data())));
  return key;
}

void collect(pugi::xml_node parent, std::vector<OpmlEntry>& out, std::set<std::string>& seen) {
  for (auto o = parent.first_child(); o; o = o.next_sibling()) {
    if (o.type() != pugi::node_element || !text::iequals(o.name(), "outline")) continue;
    const auto xml_url = attr_icase(o, "xmlUrl");
    if (!xml_url.empty() && seen.insert(url_key(xml_url)).second) {
      auto title = attr_icase(o, "title");
      if (title.empty()) title = attr_icase(o, "text");
      out.push_back({text::collapse_whitespace(title), std::string(xml_url),
                     std::string(attr_icase(o, "htmlUrl"))});
    }
    collect(o, out, seen);  // folders, and the odd feed outline with children
  }
}

}  // namespace

Result<std::vector<OpmlEntry>> parse_opml(std::string_view bytes) {
  detail::Warnings ignored;  // OPML import reports entries, not repairs
  detail::Buffer decoded;
  detail::decode_to_utf8(bytes, decoded, ignored);
  const auto sniffed = detail::sniff_body(decoded.view);
  if (sniffed.kind != detail::BodyKind::Xml)
    return detail::not_a_feed_error(sniffed, decoded.view)
        .with_context("cannot read the OPML file");
  detail::Buffer xml;
  detail::repair_markup(decoded.view.substr(sniffed.xml_start), xml, ignored);

  pugi::xml_document doc;
  const auto r =
      doc.load_buffer(xml.view.data(), xml.view.size(), pugi::parse_default, pugi::encoding_utf8);
  if (!r)
    return invalid_input(std::string("the OPML file is not well-formed XML (") + r.description() +
                         " at byte " + std::to_string(r.offset) + ")");
  const auto root = doc.document_element();
  const std::string_view name = root.name();
  if (name == "rss" || name == "feed" || name.ends_with(":RDF"))
    return invalid_input(
        "this is a podcast feed, not an OPML subscription list — subscribe to it directly");
  if (!text::iequals(name, "opml"))
    return invalid_input("the file is XML but not OPML (its root element is <" + std::string(name) +
                         ">)");

  std::vector<OpmlEntry> out;
  std::set<std::string> seen;
  for (auto body = root.first_child(); body; body = body.next_sibling())
    if (text::iequals(body.name(), "body")) collect(body, out, seen);
  return out;
}

std::string write_opml(const std::vector<OpmlEntry>& entries, std::string_view title) {
  pugi::xml_document doc;
  auto opml = doc.append_child("opml");
  opml.append_attribute("version") = "2.0";
  opml.append_child("head").append_child("title").text() = text::sanitize_utf8(title).c_str();
  auto body = opml.append_child("body");
  for (const auto& e : entries) {
    auto o = body.append_child("outline");
    const auto t = text::sanitize_utf8(e.title);
    o.append_attribute("type") = "rss";
    o.append_attribute("text") = t.c_str();
    o.append_attribute("title") = t.c_str();
    o.append_attribute("xmlUrl") = text::sanitize_utf8(e.xml_url).c_str();
    if (!e.html_url.empty())
      o.append_attribute("htmlUrl") = text::sanitize_utf8(e.html_url).c_str();
  }
  std::ostringstream os;
  doc.save(os, "  ", pugi::format_default | pugi::format_no_declaration, pugi::encoding_utf8);
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + os.str();
}

}  // namespace hark::feed
