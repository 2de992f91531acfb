#include "search/query.hpp"

#include <cstdint>

#include "core/text.hpp"

namespace hark::search {
namespace {

// Decodes the code point at s[i] (valid UTF-8 assumed) and its length.
std::pair<char32_t, std::size_t> decode(std::string_view s, std::size_t i) {
  const auto len = text::utf8_sequence_length(s, i);
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (len <= 1) return {b0, 1};
  char32_t cp = b0 & (0xFF >> (len + 1));
  for (std::size_t k = 1; k < len && i + k < s.size(); ++k)
    cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
  return {cp, len};
}

// The code point that ends just before s[i].
char32_t decode_before(std::string_view s, std::size_t i) {
  std::size_t start = i - 1;
  while (start > 0 && (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80) --start;
  return decode(s, start).first;
}

bool is_quote(char32_t cp) {
  return cp == U'"' || cp == U'\u201C' || cp == U'\u201D';
}

// Letters and digits of any script count as word characters; ASCII punctuation, Latin-1
// symbols and the General Punctuation block (dashes, curly quotes, ellipsis) separate
// words, as the index's unicode61 tokenizer does for them.
bool is_word_char(char32_t cp) {
  if (cp < 0x80)
    return (cp >= U'0' && cp <= U'9') || (cp >= U'a' && cp <= U'z') || (cp >= U'A' && cp <= U'Z');
  if (cp >= 0xA0 && cp <= 0xBF) return false;
  if (cp == 0xD7 || cp == 0xF7) return false;
  if (cp >= 0x2000 && cp <= 0x206F) return false;
  if (cp >= 0x3000 && cp <= 0x303F) return false;  // CJK punctuation
  if (cp == 0xFEFF || cp == 0xFFFD) return false;
  return true;
}

std::string lower_ascii(std::string word) {
  for (auto& c : word) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return word;
}

// Splits a run of text into words.
std::vector<std::string> words_of(std::string_view s) {
  std::vector<std::string> words;
  std::string current;
  for (std::size_t i = 0; i < s.size();) {
    auto [cp, len] = decode(s, i);
    if (is_word_char(cp)) {
      current.append(s.substr(i, len));
    } else if (!current.empty()) {
      words.push_back(lower_ascii(std::move(current)));
      current.clear();
    }
    i += len;
  }
  if (!current.empty()) words.push_back(lower_ascii(std::move(current)));
  return words;
}

}  // namespace

Result<TextQuery> parse_query(std::string_view input) {
  if (input.size() > kMaxQueryBytes)
    return invalid_input("the search is too long (" + std::to_string(input.size()) +
                         " bytes); keep it under " + std::to_string(kMaxQueryBytes));
  const std::string clean = text::sanitize_utf8(input);
  const std::string_view s = clean;
  TextQuery query;
  std::size_t i = 0;
  bool exclusions_only = true;
  bool after_word = false;  // the character before i ends a word ("e-mail" is two words)
  while (i < s.size()) {
    auto [cp, len] = decode(s, i);
    if ((!is_quote(cp) && !is_word_char(cp) && cp != U'-') || (cp == U'-' && after_word)) {
      after_word = false;
      i += len;
      continue;
    }
    SearchTerm term;
    // A minus starts an exclusion only at the start of a token ("-ads", "-\"big ads\"");
    // inside a word ("e-mail") it is a separator.
    if (cp == U'-') {
      i += len;
      if (i >= s.size()) break;
      auto [next, next_len] = decode(s, i);
      if (!is_quote(next) && !is_word_char(next)) continue;
      term.exclude = true;
      cp = next;
      len = next_len;
    }
    if (is_quote(cp)) {
      i += len;
      const std::size_t start = i;
      while (i < s.size()) {
        auto [c, l] = decode(s, i);
        if (is_quote(c)) break;
        i += l;
      }
      term.words = words_of(s.substr(start, i - start));
      if (i < s.size()) i += decode(s, i).second;  // the closing quote
    } else {
      const std::size_t start = i;
      while (i < s.size()) {
        auto [c, l] = decode(s, i);
        if (!is_word_char(c)) break;
        i += l;
      }
      term.words = words_of(s.substr(start, i - start));
      // A trailing * makes the (last) word a prefix; one letter is too short to be useful
      // and would match most of the index.
      if (i < s.size() && s[i] == '*') {
        ++i;
        term.prefix = !term.words.empty() && term.words.back().size() >= 2;
      }
    }
    after_word = i > 0 && is_word_char(decode_before(s, i));
    if (term.words.empty()) continue;
    if (!term.exclude) exclusions_only = false;
    query.terms.push_back(std::move(term));
    if (query.terms.size() > kMaxQueryTerms)
      return invalid_input("the search has too many words; use at most " +
                           std::to_string(kMaxQueryTerms));
  }
  if (query.terms.empty())
    return invalid_input("nothing to search for: type a word or a \"phrase\"");
  if (exclusions_only)
    return invalid_input("the search only excludes words; add a word or a \"phrase\" to find");
  return query;
}

std::string meaning_text(const TextQuery& query) {
  std::string out;
  for (const auto& term : query.terms) {
    if (term.exclude) continue;
    for (const auto& word : term.words) {
      if (!out.empty()) out += ' ';
      out += word;
    }
  }
  return out;
}

}  // namespace hark::search
