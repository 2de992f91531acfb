// Internal to hark_feed: turning the bytes a server sent into UTF-8 XML that pugixml parses
// the way the publisher meant.
//
// pugixml is lenient: it keeps a bare '&' and an unknown `&nbsp;` as literal text and passes
// control characters and invalid UTF-8 through. So "parse strictly, repair on failure" would
// miss most real-world damage. Instead one pass over the bytes both checks and repairs; a
// clean feed is not copied.
#pragma once

#include <string>
#include <string_view>

#include "feed/document.hpp"

namespace hark::feed::detail {

// Text that is either a view of the caller's bytes or of `owned`.
struct Buffer {
  std::string owned;
  std::string_view view;
};

// Decodes `bytes` to UTF-8 using the byte order mark or the XML declaration's encoding
// (Latin-1 / Windows-1252 by hand, anything else through ICU). A feed that declares Latin-1
// but is valid UTF-8 is read as UTF-8. Strips a UTF-8 BOM. Never fails: an unknown encoding
// is read as UTF-8 with a warning.
void decode_to_utf8(std::string_view bytes, Buffer& out, Warnings& warnings);

// Repairs markup in UTF-8 `xml`: escapes a bare '&' and a '<' that cannot start a tag,
// replaces HTML entities with their characters, maps numeric references to C1 code points
// (&#146;) through Windows-1252, removes control characters XML forbids, reads invalid UTF-8
// bytes as Windows-1252. Comments, CDATA markup and the DOCTYPE are left alone (CDATA text is
// only cleaned of control characters and invalid UTF-8). Each kind of repair adds one warning.
// Entities declared in a DOCTYPE are never expanded: their references stay literal text.
void repair_markup(std::string_view xml, Buffer& out, Warnings& warnings);

// Appends the Windows-1252 character for byte `b` as UTF-8 (Latin-1 plus 0x80-0x9F).
void append_cp1252(std::string& out, unsigned char b);

}  // namespace hark::feed::detail
