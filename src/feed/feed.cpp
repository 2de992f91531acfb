#include "feed/feed.hpp"

#include <algorithm>
#include <pugixml.hpp>

#include "core/text.hpp"
#include "feed/document.hpp"
#include "feed/identity.hpp"
#include "feed/readers.hpp"
#include "feed/sniff.hpp"
#include "feed/xml_prepare.hpp"

namespace hark::feed {
namespace {

// pugixml's defaults (CDATA, entity/char references, attribute whitespace, CRLF -> LF). DTDs
// are skipped, never processed: pugixml has no entity expansion at all.
constexpr unsigned kParseOptions = pugi::parse_default;

std::string_view describe_status(const pugi::xml_parse_result& r, bool at_end) {
  switch (r.status) {
    case pugi::status_end_element_mismatch:
      return at_end ? "the document ends before all its elements are closed (was the download cut "
                      "off?)"
                    : "a closing tag does not match the element it should close";
    case pugi::status_unrecognized_tag:
      return "a tag is malformed";
    case pugi::status_bad_pi:
      return "a <?...?> instruction is malformed";
    case pugi::status_bad_comment:
      return "a comment (<!-- -->) is not closed";
    case pugi::status_bad_cdata:
      return "a CDATA section is not closed";
    case pugi::status_bad_doctype:
      return "the DOCTYPE declaration is malformed";
    case pugi::status_bad_pcdata:
      return "text is malformed";
    case pugi::status_bad_start_element:
      return "an opening tag is malformed";
    case pugi::status_bad_attribute:
      return "an attribute is malformed (missing quotes or '=')";
    case pugi::status_bad_end_element:
      return "a closing tag is malformed";
    case pugi::status_no_document_element:
      return "there is no root element";
    case pugi::status_append_invalid_root:
      return "there is more than one root element";
    default:
      return r.description();
  }
}

Error xml_error(const pugi::xml_parse_result& r, std::string_view xml, std::size_t lines_before) {
  const auto offset =
      std::min(static_cast<std::size_t>(std::max<std::ptrdiff_t>(r.offset, 0)), xml.size());
  const auto head = xml.substr(0, offset);
  const auto line =
      lines_before + 1 + static_cast<std::size_t>(std::count(head.begin(), head.end(), '\n'));
  const auto nl = head.rfind('\n');
  const auto column = offset - (nl == std::string_view::npos ? 0 : nl + 1) + 1;
  const bool at_end = xml.find_first_not_of(" \t\r\n", offset) == std::string_view::npos;
  return invalid_input("the feed is not well-formed XML and could not be repaired: line " +
                       std::to_string(line) + ", column " + std::to_string(column) + ": " +
                       std::string(describe_status(r, at_end)));
}

std::string junk_warning(std::string_view junk) {
  const auto start = text::truncate_utf8(text::collapse_whitespace(text::sanitize_utf8(junk)), 60);
  return "the feed had " + std::to_string(junk.size()) +
         " bytes of other content before the XML (" + "starting '" + start + "'); skipped";
}

Result<Feed> read_document(pugi::xml_node root, detail::Context& ctx) {
  const auto q = ctx.ns.name_of(root);
  const std::string_view local = q.local;
  if (local == "rss" || (local == "RDF" && q.ns == detail::Ns::Rdf))
    return detail::read_rss(root, ctx);
  if (local == "feed") return detail::read_atom(root, ctx);
  if (text::iequals(local, "opml"))
    return invalid_input(
        "this is an OPML subscription list, not a podcast feed — import it with `hark import "
        "<file>`");
  if (text::iequals(local, "html")) {
    detail::Sniffed s;
    s.kind = detail::BodyKind::Html;
    s.html_title = text::collapse_whitespace(root.child("head").child_value("title"));
    return detail::not_a_feed_error(s, {});
  }
  return invalid_input("the document is XML but not an RSS or Atom feed (its root element is <" +
                       std::string(root.name()) + ">) — check the feed address");
}

}  // namespace

Result<Feed> parse(std::string_view bytes, std::string_view base_url) {
  detail::Context ctx;
  ctx.base_url = std::string(base_url);

  detail::Buffer decoded;
  detail::decode_to_utf8(bytes, decoded, ctx.warnings);
  const auto sniffed = detail::sniff_body(decoded.view);
  if (sniffed.kind != detail::BodyKind::Xml) return detail::not_a_feed_error(sniffed, decoded.view);

  const auto skipped = decoded.view.substr(0, sniffed.xml_start);
  if (sniffed.junk_before_xml) ctx.warnings.add(junk_warning(skipped));
  const auto lines_before =
      static_cast<std::size_t>(std::count(skipped.begin(), skipped.end(), '\n'));

  detail::Buffer xml;
  detail::repair_markup(decoded.view.substr(sniffed.xml_start), xml, ctx.warnings);

  pugi::xml_document doc;
  // load_buffer copies; in-place parsing would save one memcpy but mangle the text the error
  // message needs to count lines in.
  const auto result =
      doc.load_buffer(xml.view.data(), xml.view.size(), kParseOptions, pugi::encoding_utf8);
  if (!result) return xml_error(result, xml.view, lines_before);

  const auto root = doc.document_element();
  ctx.ns.declare_from(root);
  ctx.has_xml_base = xml.view.find("xml:base") != std::string_view::npos;
  auto feed = read_document(root, ctx);
  if (!feed) return feed;
  feed->podcast.feed_url = std::string(base_url);
  feed->warnings = ctx.warnings.take();
  assign_keys(feed->episodes, &feed->warnings);
  return feed;
}

}  // namespace hark::feed
