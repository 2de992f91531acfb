#include "feed/xml_prepare.hpp"

#include <unicode/ucnv.h>

#include <array>
#include <charconv>
#include <cstdint>
#include <cstring>

#include "core/text.hpp"
#include "feed/html_entities.hpp"

namespace hark::feed::detail {
namespace {

// Windows-1252's 0x80-0x9F; the five unassigned bytes become U+FFFD.
constexpr std::array<std::uint16_t, 32> kCp1252High = {
    0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD, 0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178};

std::uint32_t cp1252_codepoint(unsigned char b) {
  return (b >= 0x80 && b < 0xA0) ? kCp1252High[b - 0x80] : b;
}

bool has_non_ascii(std::string_view s) {
  for (char c : s)
    if (static_cast<unsigned char>(c) >= 0x80) return true;
  return false;
}

// The encoding named in `<?xml ... encoding="..."?>`, lower-cased; empty when none.
std::string declared_encoding(std::string_view s) {
  if (!s.starts_with("<?xml")) return {};
  const auto end = s.find("?>");
  const auto decl = s.substr(0, end);
  const auto pos = decl.find("encoding");
  if (pos == std::string_view::npos) return {};
  auto rest = decl.substr(pos + 8);
  const auto q = rest.find_first_of("\"'");
  if (q == std::string_view::npos) return {};
  const auto close = rest.find(rest[q], q + 1);
  if (close == std::string_view::npos) return {};
  return text::to_lower_ascii(text::trim(rest.substr(q + 1, close - q - 1)));
}

bool is_utf8_name(std::string_view e) {
  return e.empty() || e == "utf-8" || e == "utf8" || e == "us-ascii" || e == "ascii";
}

bool is_latin1_name(std::string_view e) {
  return e == "iso-8859-1" || e == "iso8859-1" || e == "latin1" || e == "latin-1" || e == "l1" ||
         e == "iso_8859-1" || e == "windows-1252" || e == "cp1252" || e == "x-cp1252";
}

bool convert_with_icu(const char* from, std::string_view bytes, std::string& out) {
  UErrorCode status = U_ZERO_ERROR;
  out.resize(bytes.size() * 3 + 16);
  const auto n = ucnv_convert("UTF-8", from, out.data(), static_cast<int32_t>(out.size()),
                              bytes.data(), static_cast<int32_t>(bytes.size()), &status);
  if (U_FAILURE(status)) return false;
  out.resize(static_cast<std::size_t>(n));
  if (out.starts_with("\xEF\xBB\xBF")) out.erase(0, 3);
  return true;
}

// Is code point `cp` allowed in an XML 1.0 document?
bool is_xml_char(std::uint32_t cp) {
  return cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) ||
         (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF);
}

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-' || c == '.';
}

enum CharClass : std::uint8_t { kPlain = 0, kLt = 1, kAmp = 2, kControl = 3, kHigh = 4 };

constexpr std::array<std::uint8_t, 256> make_classes() {
  std::array<std::uint8_t, 256> t{};
  for (int c = 0; c < 0x20; ++c) t[c] = kControl;
  t['\t'] = t['\n'] = t['\r'] = kPlain;
  t['<'] = kLt;
  t['&'] = kAmp;
  for (int c = 0x80; c < 0x100; ++c) t[c] = kHigh;
  return t;
}
constexpr auto kClasses = make_classes();

// Word-at-a-time test for "any byte in `w` needs a closer look": < 0x20, >= 0x80, or (when
// `markup` is set) '<' or '&'. Lets clean ASCII text pass eight bytes per step.
constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
constexpr std::uint64_t kHighs = 0x8080808080808080ULL;
constexpr std::uint64_t has_zero_byte(std::uint64_t w) {
  return (w - kOnes) & ~w & kHighs;
}

bool word_needs_look(std::uint64_t w, bool markup) {
  std::uint64_t hit = (w | ((w - kOnes * 0x20) & ~w)) & kHighs;  // >= 0x80 or < 0x20
  if (markup) hit |= has_zero_byte(w ^ (kOnes * '<')) | has_zero_byte(w ^ (kOnes * '&'));
  return hit != 0;
}

class Repairer {
 public:
  explicit Repairer(std::string_view in) : in_(in) {}

  void run() {
    std::size_t i = 0;
    while (i < in_.size()) {
      i = scan_text(i);
      if (i < in_.size()) i = markup(i);
    }
  }

  bool modified() const { return modified_; }
  std::string finish() {
    out_.append(in_.substr(flushed_));
    return std::move(out_);
  }
  void report(Warnings& w) const;

 private:
  void replace(std::size_t pos, std::size_t len, std::string_view with) {
    if (!modified_) out_.reserve(in_.size() + in_.size() / 16);
    modified_ = true;
    out_.append(in_.substr(flushed_, pos - flushed_));
    out_.append(with);
    flushed_ = pos + len;
  }

  // Handles the byte at i when it is a control character or starts a multi-byte sequence.
  // Returns the index after it.
  std::size_t fix_char(std::size_t i) {
    const auto b = static_cast<unsigned char>(in_[i]);
    if (b < 0x80) {
      replace(i, 1, {});
      ++controls_;
      return i + 1;
    }
    if (const auto n = text::utf8_sequence_length(in_, i)) return i + n;
    std::string ch;
    append_cp1252(ch, b);
    replace(i, 1, ch);
    ++bad_utf8_;
    return i + 1;
  }

  std::size_t skip_clean_words(std::size_t i, std::size_t end, bool markup) const {
    while (i + 8 <= end) {
      std::uint64_t w;
      std::memcpy(&w, in_.data() + i, 8);
      if (word_needs_look(w, markup)) break;
      i += 8;
    }
    return i;
  }

  // Text content up to the next '<' (returned) or the end; '&' and bad bytes are fixed.
  std::size_t scan_text(std::size_t i) {
    while (i < in_.size()) {
      i = skip_clean_words(i, in_.size(), true);
      if (i >= in_.size()) break;
      const auto cls = kClasses[static_cast<unsigned char>(in_[i])];
      if (cls == kPlain)
        ++i;
      else if (cls == kLt)
        return i;
      else if (cls == kAmp)
        i = reference(i);
      else
        i = fix_char(i);
    }
    return i;
  }

  // Cleans a region that must be kept verbatim except for control characters and bad UTF-8.
  void scan_chars(std::size_t i, std::size_t end) {
    while (i < end) {
      i = skip_clean_words(i, end, false);
      if (i >= end) break;
      const auto cls = kClasses[static_cast<unsigned char>(in_[i])];
      i = (cls == kControl || cls == kHigh) ? fix_char(i) : i + 1;
    }
  }

  // Something starting with '<'. Returns the index after it.
  std::size_t markup(std::size_t i) {
    const auto rest = in_.substr(i);
    auto skip_to = [&](std::string_view end) {
      const auto p = in_.find(end, i);
      return p == std::string_view::npos ? in_.size() : p + end.size();
    };
    if (rest.starts_with("<!--")) return skip_to("-->");
    if (rest.starts_with("<![CDATA[")) {
      const auto end = skip_to("]]>");
      scan_chars(i + 9, end);
      return end;
    }
    if (rest.starts_with("<?")) return skip_to("?>");
    if (rest.starts_with("<!")) return doctype(i);
    const char next = rest.size() > 1 ? rest[1] : '\0';
    const bool tag_start = next == '/' || next == '_' || next == ':' ||
                           (next >= 'a' && next <= 'z') || (next >= 'A' && next <= 'Z') ||
                           static_cast<unsigned char>(next) >= 0x80;
    if (!tag_start) {  // "a < b", "<3": text, not markup
      replace(i, 1, "&lt;");
      ++stray_lt_;
      return i + 1;
    }
    return tag(i);
  }

  // A start or end tag; attribute values get the same '&' treatment as text.
  std::size_t tag(std::size_t i) {
    char quote = 0;
    for (++i; i < in_.size(); ++i) {
      const char c = in_[i];
      const auto cls = kClasses[static_cast<unsigned char>(c)];
      if (quote) {
        if (c == quote)
          quote = 0;
        else if (cls == kAmp)
          i = reference(i) - 1;
        else if (cls == kControl || cls == kHigh)
          i = fix_char(i) - 1;
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '>') {
        return i + 1;
      } else if (c == '<') {
        return i;  // malformed; let the parser report it
      } else if (cls == kControl) {
        i = fix_char(i) - 1;
      }
    }
    return i;
  }

  std::size_t doctype(std::size_t i) {
    int depth = 0;
    const auto start = i;
    for (; i < in_.size(); ++i) {
      if (in_[i] == '[')
        ++depth;
      else if (in_[i] == ']')
        --depth;
      else if (in_[i] == '>' && depth <= 0)
        break;
    }
    const auto end = std::min(i + 1, in_.size());
    if (in_.substr(start, end - start).find("<!ENTITY") != std::string_view::npos)
      declares_entities_ = true;
    return end;
  }

  // An '&' at i. Returns the index after what was consumed.
  std::size_t reference(std::size_t i) {
    std::size_t k = i + 1;
    while (k < in_.size() && k - i <= 32 && (is_name_char(in_[k]) || in_[k] == '#')) ++k;
    const bool terminated = k < in_.size() && in_[k] == ';' && k > i + 1;
    if (!terminated) {  // "Tom & Jerry", "?a=1&b=2"
      replace(i, 1, "&amp;");
      ++bare_amps_;
      return i + 1;
    }
    const auto name = in_.substr(i + 1, k - i - 1);
    if (name[0] == '#') return char_reference(i, name, k + 1);
    if (name == "amp" || name == "lt" || name == "gt" || name == "quot" || name == "apos")
      return k + 1;
    if (const auto cp = html_entity_codepoint(name)) {
      std::string ch;
      append_utf8(ch, *cp);
      replace(i, k + 1 - i, ch);
      ++html_entities_;
      if (example_entity_.empty()) example_entity_ = "&" + std::string(name) + ";";
      return k + 1;
    }
    // A well-formed reference to an entity XML does not define: declared in a DOCTYPE (never
    // expanded) or simply unknown. Keep it as the literal text the reader would see.
    replace(i, 1, "&amp;");
    ++unknown_entities_;
    if (example_unknown_.empty()) example_unknown_ = "&" + std::string(name) + ";";
    return k + 1;
  }

  std::size_t char_reference(std::size_t i, std::string_view name, std::size_t end) {
    const bool hex = name.size() > 1 && (name[1] == 'x' || name[1] == 'X');
    const auto digits = name.substr(hex ? 2 : 1);
    std::uint32_t cp = 0;
    const auto [p, ec] =
        std::from_chars(digits.data(), digits.data() + digits.size(), cp, hex ? 16 : 10);
    if (digits.empty() || ec != std::errc() || p != digits.data() + digits.size()) {
      replace(i, 1, "&amp;");
      ++bare_amps_;
      return i + 1;
    }
    if (cp >= 0x80 && cp < 0xA0) {  // &#146;: a Windows-1252 byte written as a code point
      std::string ch;
      append_utf8(ch, cp1252_codepoint(static_cast<unsigned char>(cp)));
      replace(i, end - i, ch);
      ++c1_references_;
    } else if (!is_xml_char(cp)) {
      replace(i, end - i, {});
      ++controls_;
    }
    return end;
  }

  std::string_view in_;
  std::string out_;
  std::size_t flushed_ = 0;
  bool modified_ = false;
  bool declares_entities_ = false;
  int bare_amps_ = 0, html_entities_ = 0, unknown_entities_ = 0, stray_lt_ = 0, controls_ = 0,
      bad_utf8_ = 0, c1_references_ = 0;
  std::string example_entity_, example_unknown_;
};

std::string count_of(int n, std::string_view one, std::string_view many) {
  return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

void Repairer::report(Warnings& w) const {
  if (declares_entities_)
    w.add(
        "the feed declares its own entities in a DOCTYPE; hark never expands them (they can be "
        "used to exhaust memory), so references to them are kept as written");
  if (bare_amps_ > 0)
    w.add("the feed had " +
          count_of(bare_amps_, "unescaped '&' character", "unescaped '&' characters") +
          "; repaired");
  if (html_entities_ > 0)
    w.add("the feed used " + count_of(html_entities_, "HTML entity", "HTML entities") +
          " (such as " + example_entity_ + ") that XML does not define; converted to characters");
  if (unknown_entities_ > 0 && !declares_entities_)
    w.add("the feed used " + count_of(unknown_entities_, "unknown entity", "unknown entities") +
          " (such as " + example_unknown_ + "); kept as written");
  if (stray_lt_ > 0)
    w.add("the feed had " +
          count_of(stray_lt_, "unescaped '<' character", "unescaped '<' characters") +
          " in text; repaired");
  if (controls_ > 0)
    w.add("the feed contained " + count_of(controls_, "control character", "control characters") +
          " that XML does not allow; removed");
  if (bad_utf8_ > 0)
    w.add("the feed contained " +
          count_of(bad_utf8_, "byte that is not valid UTF-8; read it",
                   "bytes that are not valid UTF-8; read them") +
          " as Windows-1252");
  if (c1_references_ > 0)
    w.add("the feed had " +
          count_of(c1_references_, "character reference", "character references") +
          " to Windows-1252 codes (such as &#146;); converted to the characters meant");
}

}  // namespace

void append_cp1252(std::string& out, unsigned char b) {
  append_utf8(out, cp1252_codepoint(b));
}

void decode_to_utf8(std::string_view bytes, Buffer& out, Warnings& warnings) {
  out.owned.clear();
  const auto use = [&](std::string_view v) { out.view = v; };
  const auto use_owned = [&] { out.view = out.owned; };

  if (bytes.starts_with("\xEF\xBB\xBF")) return use(bytes.substr(3));
  // UTF-16/32 by byte order mark, or UTF-16 without one ("<\0?\0").
  const char* wide = nullptr;
  if (bytes.starts_with(std::string_view("\xFF\xFE\0\0", 4)))
    wide = "UTF-32LE";
  else if (bytes.starts_with(std::string_view("\0\0\xFE\xFF", 4)))
    wide = "UTF-32BE";
  else if (bytes.starts_with("\xFF\xFE"))
    wide = "UTF-16LE";
  else if (bytes.starts_with("\xFE\xFF"))
    wide = "UTF-16BE";
  else if (bytes.starts_with(std::string_view("<\0?\0", 4)))
    wide = "UTF-16LE";
  else if (bytes.starts_with(std::string_view("\0<\0?", 4)))
    wide = "UTF-16BE";
  if (wide) {
    if (convert_with_icu(wide, bytes, out.owned)) return use_owned();
    warnings.add(std::string("the feed looked like ") + wide +
                 " but could not be decoded; read as UTF-8");
    return use(bytes);
  }

  const auto enc = declared_encoding(bytes);
  if (is_utf8_name(enc)) return use(bytes);
  if (enc.starts_with("utf-16") || enc.starts_with("utf-32")) {
    // The bytes are evidently 8-bit (no byte order mark, no NULs in "<?xml"): the label lies.
    warnings.add("the feed declares encoding '" + enc + "' but is not; read as UTF-8");
    return use(bytes);
  }
  if (is_latin1_name(enc)) {
    if (has_non_ascii(bytes) && text::is_valid_utf8(bytes)) {
      warnings.add("the feed declares encoding '" + enc + "' but is UTF-8; read as UTF-8");
      return use(bytes);
    }
    // Windows-1252 is what "ISO-8859-1" means on the web (browsers read it so too).
    out.owned.reserve(bytes.size() + bytes.size() / 8);
    for (const char c : bytes) {
      const auto b = static_cast<unsigned char>(c);
      if (b < 0x80)
        out.owned.push_back(c);
      else
        append_cp1252(out.owned, b);
    }
    return use_owned();
  }
  if (convert_with_icu(enc.c_str(), bytes, out.owned)) return use_owned();
  warnings.add("the feed declares encoding '" + enc + "', which hark does not know; read as UTF-8");
  use(bytes);
}

void repair_markup(std::string_view xml, Buffer& out, Warnings& warnings) {
  Repairer r(xml);
  r.run();
  r.report(warnings);
  if (!r.modified()) {
    out.view = xml;
    return;
  }
  // `xml` may point into out.owned; build the result aside before replacing it.
  std::string repaired = r.finish();
  out.owned = std::move(repaired);
  out.view = out.owned;
}

}  // namespace hark::feed::detail
