#include "asr/wer.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <regex>
#include <set>
#include <string>
#include <utility>

namespace hark::asr {
namespace {

constexpr std::array<const char*, 20> kOnes = {
    "zero",     "one",     "two",     "three",     "four",     "five",    "six",
    "seven",    "eight",   "nine",    "ten",       "eleven",   "twelve",  "thirteen",
    "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"};
constexpr std::array<const char*, 10> kTens = {"",      "",      "twenty",  "thirty", "forty",
                                               "fifty", "sixty", "seventy", "eighty", "ninety"};

std::string int_to_words(std::uint64_t n) {
  if (n < 20) return kOnes[n];
  if (n < 100)
    return std::string(kTens[n / 10]) + (n % 10 == 0 ? "" : std::string(" ") + kOnes[n % 10]);
  if (n < 1000) {
    const auto rest = n % 100;
    return std::string(kOnes[n / 100]) + " hundred" + (rest == 0 ? "" : " " + int_to_words(rest));
  }
  static const std::array<std::pair<std::uint64_t, const char*>, 4> scales = {
      {{1'000'000'000'000ULL, "trillion"},
       {1'000'000'000ULL, "billion"},
       {1'000'000ULL, "million"},
       {1000ULL, "thousand"}}};
  for (const auto& [value, name] : scales) {
    if (n >= value) {
      const auto rest = n % value;
      return int_to_words(n / value) + " " + name + (rest == 0 ? "" : " " + int_to_words(rest));
    }
  }
  return {};
}

// Digits read one by one ("007", or numbers too long to say).
std::string digit_words(std::string_view digits) {
  std::string out;
  for (char c : digits) {
    if (c < '0' || c > '9') continue;
    if (!out.empty()) out += ' ';
    out += kOnes[static_cast<std::size_t>(c - '0')];
  }
  return out;
}

std::string integer_words(std::string_view digits) {
  std::string clean;
  for (char c : digits)
    if (c >= '0' && c <= '9') clean += c;
  if (clean.empty()) return "zero";
  if (clean.size() > 15) return digit_words(clean);
  return int_to_words(std::stoull(clean));
}

std::string ordinal_words(std::string_view digits) {
  std::string words = integer_words(digits);
  const auto space = words.rfind(' ');
  std::string last = words.substr(space == std::string::npos ? 0 : space + 1);
  words.resize(space == std::string::npos ? 0 : space + 1);
  static const std::array<std::pair<const char*, const char*>, 7> irregular = {
      {{"one", "first"},
       {"two", "second"},
       {"three", "third"},
       {"five", "fifth"},
       {"eight", "eighth"},
       {"nine", "ninth"},
       {"twelve", "twelfth"}}};
  for (const auto& [cardinal, ordinal] : irregular) {
    if (last == cardinal) return words + ordinal;
  }
  if (last.ends_with('y')) return words + last.substr(0, last.size() - 1) + "ieth";
  return words + last + "th";
}

std::string number_words(std::string_view token) {
  const auto dot = token.find('.');
  if (dot == std::string_view::npos) return integer_words(token);
  const auto whole = token.substr(0, dot);
  return (whole.empty() ? std::string("zero") : integer_words(whole)) + " point " +
         digit_words(token.substr(dot + 1));
}

// Replaces every match of `pattern` with what `replace` makes of it.
std::string replace_each(const std::string& text, const std::regex& pattern,
                         const std::function<std::string(const std::smatch&)>& replace) {
  std::string out;
  auto last = text.cbegin();
  for (std::sregex_iterator it(text.cbegin(), text.cend(), pattern), end; it != end; ++it) {
    out.append(last, (*it)[0].first);
    out += replace(*it);
    last = (*it)[0].second;
  }
  out.append(last, text.cend());
  return out;
}

std::string spell_letters(const std::string& word) {
  std::string out = " ";
  for (char c : word) {
    if (std::isalnum(static_cast<unsigned char>(c)) == 0) continue;
    out += c;
    out += ' ';
  }
  return out;
}

// Typographic quotes and dashes (UTF-8) to their ASCII counterparts.
std::string fold_typography(std::string_view text) {
  static const std::array<std::pair<std::string_view, std::string_view>, 8> folds = {{
      {"\xE2\x80\x98", "'"},   // ‘
      {"\xE2\x80\x99", "'"},   // ’
      {"\xE2\x80\x9C", "\""},  // “
      {"\xE2\x80\x9D", "\""},  // ”
      {"\xE2\x80\x93", " "},   // –
      {"\xE2\x80\x94", " "},   // —
      {"\xE2\x80\xA6", " "},   // …
      {"\xC2\xA0", " "},       // no-break space
  }};
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    bool folded = false;
    for (const auto& [from, to] : folds) {
      if (text.substr(i, from.size()) == from) {
        out += to;
        i += from.size();
        folded = true;
        break;
      }
    }
    if (!folded) out += text[i++];
  }
  return out;
}

struct Rules {
  std::regex dotted_acronym{R"(\b(?:[A-Za-z]\.){2,})"};
  std::regex spelled{
      R"(\b(ADHD|USA|REM|BBC|DNA|MRI|CEO|GPS|CO2|PhD|US|UK|EU|TV|FM|AM|PM|AI|IQ)\b)"};
  std::regex abbreviation{R"(\b(dr|mr|mrs|ms|st|prof|vs|etc|jr|sr|approx)\.(?=\s))"};
  std::regex doctor{R"(\bdr\b)"};
  std::regex okay{R"(\bok\b)"};
  std::regex percent{R"((\d[\d,]*(?:\.\d+)?)\s*%)"};
  std::regex ordinal{R"(\b(\d+)(st|nd|rd|th)\b)"};
  std::regex number{R"(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"};
  std::vector<std::pair<std::regex, std::string>> contractions;

  Rules() {
    const std::array<std::pair<const char*, const char*>, 13> list = {{
        {R"(\bwon't\b)", "will not"},
        {R"(\bcan't\b)", "can not"},
        {R"(\bcannot\b)", "can not"},
        {R"(\blet's\b)", "let us"},
        {R"(\bain't\b)", "is not"},
        {R"(\by'all\b)", "you all"},
        {R"(n't\b)", " not"},
        {R"('re\b)", " are"},
        {R"('ll\b)", " will"},
        {R"('ve\b)", " have"},
        {R"('m\b)", " am"},
        {R"('d\b)", " would"},
        {R"(\b(it|that|what|there|here|who|where|how|he|she)'s\b)", "$1 is"},
    }};
    for (const auto& [pattern, replacement] : list)
      contractions.emplace_back(std::regex(pattern), replacement);
  }
};

const Rules& rules() {
  static const Rules r;
  return r;
}

std::string abbreviation_word(const std::string& a) {
  static const std::array<std::pair<const char*, const char*>, 11> words = {
      {{"dr", "doctor"},
       {"mr", "mister"},
       {"mrs", "missus"},
       {"ms", "miz"},
       {"st", "saint"},
       {"prof", "professor"},
       {"vs", "versus"},
       {"etc", "et cetera"},
       {"jr", "junior"},
       {"sr", "senior"},
       {"approx", "approximately"}}};
  for (const auto& [abbr, word] : words)
    if (a == abbr) return word;
  return a;
}

bool is_filler(const std::string& word) {
  static const std::set<std::string, std::less<>> fillers = {"uh",  "um", "umm", "hmm", "mm",
                                                             "mhm", "er", "ah",  "eh"};
  return fillers.contains(word);
}

}  // namespace

std::vector<std::string> normalize_words(std::string_view input) {
  const Rules& r = rules();
  std::string text = fold_typography(input);
  text = replace_each(text, r.dotted_acronym,
                      [](const std::smatch& m) { return spell_letters(m.str()); });
  text = replace_each(text, r.spelled, [](const std::smatch& m) { return spell_letters(m.str()); });
  std::transform(text.begin(), text.end(), text.begin(), [](char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  });
  text = replace_each(text, r.abbreviation,
                      [](const std::smatch& m) { return abbreviation_word(m[1].str()); });
  text = std::regex_replace(text, r.doctor, "doctor");
  text = std::regex_replace(text, r.okay, "okay");
  text =
      replace_each(text, r.percent, [](const std::smatch& m) { return m[1].str() + " percent"; });
  text =
      replace_each(text, r.ordinal, [](const std::smatch& m) { return ordinal_words(m[1].str()); });
  text = replace_each(text, r.number,
                      [](const std::smatch& m) { return " " + number_words(m.str()) + " "; });
  for (const auto& [pattern, replacement] : r.contractions)
    text = std::regex_replace(text, pattern, replacement);

  // Hyphens and slashes split words; other ASCII punctuation goes; UTF-8 letters stay.
  std::vector<std::string> words;
  std::string word;
  const auto flush = [&] {
    if (!word.empty() && !is_filler(word)) words.push_back(word);
    word.clear();
  };
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (c >= 0x80 || std::isalnum(c) != 0 || c == '_') {
      word += ch;
    } else if (std::isspace(c) != 0 || c == '-' || c == '/') {
      flush();
    }  // else: punctuation inside or around a word is dropped
  }
  flush();
  return words;
}

WordErrorRate word_error_rate(std::string_view reference, std::string_view hypothesis) {
  const auto ref = normalize_words(reference);
  const auto hyp = normalize_words(hypothesis);
  // One DP row per reference word; each cell carries the edit counts of its best path
  // (fewest edits; among equals, substitutions before deletions before insertions).
  struct Cell {
    int cost = 0, s = 0, d = 0, i = 0;
  };
  const std::size_t m = hyp.size();
  std::vector<Cell> prev(m + 1), row(m + 1);
  for (std::size_t j = 1; j <= m; ++j) prev[j] = {static_cast<int>(j), 0, 0, static_cast<int>(j)};
  for (std::size_t i = 1; i <= ref.size(); ++i) {
    row[0] = {static_cast<int>(i), 0, static_cast<int>(i), 0};
    for (std::size_t j = 1; j <= m; ++j) {
      const bool same = ref[i - 1] == hyp[j - 1];
      Cell best = prev[j - 1];
      if (!same) {
        ++best.cost;
        ++best.s;
      }
      if (prev[j].cost + 1 < best.cost) {
        best = prev[j];
        ++best.cost;
        ++best.d;
      }
      if (row[j - 1].cost + 1 < best.cost) {
        best = row[j - 1];
        ++best.cost;
        ++best.i;
      }
      row[j] = best;
    }
    std::swap(prev, row);
  }
  const Cell& last = prev[m];
  WordErrorRate out;
  out.substitutions = last.s;
  out.deletions = last.d;
  out.insertions = last.i;
  out.reference_words = static_cast<int>(ref.size());
  out.hypothesis_words = static_cast<int>(hyp.size());
  out.hits = out.reference_words - out.substitutions - out.deletions;
  const int errors = out.substitutions + out.deletions + out.insertions;
  out.rate = ref.empty() ? (hyp.empty() ? 0.0 : 1.0)
                         : static_cast<double>(errors) / static_cast<double>(ref.size());
  return out;
}

std::string describe(const WordErrorRate& wer) {
  char buffer[160];
  std::snprintf(buffer, sizeof buffer, "%.2f %% (S %d, D %d, I %d of %d words)", 100.0 * wer.rate,
                wer.substitutions, wer.deletions, wer.insertions, wer.reference_words);
  return buffer;
}

}  // namespace hark::asr
