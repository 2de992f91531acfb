#include "insight/language.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include "core/text.hpp"

namespace hark::insight {
namespace {

// English function words plus the fillers of unscripted speech ("yeah", "kind", "stuff").
constexpr auto kEnglishStopWords = std::to_array<std::string_view>(
    {"a",          "about",    "above",     "actually",  "after",    "again",     "against",
     "ago",        "ah",       "all",       "almost",    "along",    "already",   "also",
     "although",   "always",   "am",        "among",     "an",       "and",       "another",
     "any",        "anybody",  "anyone",    "anything",  "anyway",   "are",       "aren't",
     "around",     "as",       "ask",       "asked",     "at",       "away",      "back",
     "basically",  "be",       "became",    "because",   "become",   "been",      "before",
     "being",      "below",    "between",   "big",       "bit",      "both",      "but",
     "by",         "came",     "can",       "can't",     "cannot",   "come",      "comes",
     "could",      "couldn't", "did",       "didn't",    "do",       "does",      "doesn't",
     "doing",      "don't",    "done",      "down",      "during",   "each",      "either",
     "else",       "enough",   "even",      "ever",      "every",    "everybody", "everyone",
     "everything", "exactly",  "few",       "for",       "from",     "get",       "gets",
     "getting",    "give",     "go",        "goes",      "going",    "gonna",     "good",
     "got",        "gotta",    "great",     "guess",     "had",      "hadn't",    "has",
     "hasn't",     "have",     "haven't",   "having",    "he",       "he'd",      "he's",
     "her",        "here",     "here's",    "hers",      "herself",  "him",       "himself",
     "his",        "hmm",      "how",       "however",   "i",        "i'd",       "i'll",
     "i'm",        "i've",     "if",        "in",        "into",     "is",        "isn't",
     "it",         "it'd",     "it'll",     "it's",      "its",      "itself",    "just",
     "keep",       "kind",     "know",      "last",      "least",    "less",      "let",
     "let's",      "like",     "likely",    "little",    "lot",      "lots",      "made",
     "make",       "makes",    "many",      "may",       "maybe",    "me",        "mean",
     "means",      "might",    "mine",      "more",      "most",     "much",      "must",
     "my",         "myself",   "need",      "never",     "new",      "next",      "no",
     "nobody",     "not",      "nothing",   "now",       "of",       "off",       "often",
     "oh",         "okay",     "ok",        "on",        "once",     "one",       "ones",
     "only",       "or",       "other",     "others",    "our",      "ours",      "ourselves",
     "out",        "over",     "own",       "part",      "people",   "perhaps",   "pretty",
     "probably",   "put",      "quite",     "rather",    "really",   "right",     "said",
     "same",       "say",      "saying",    "says",      "see",      "seem",      "seems",
     "she",        "she's",    "should",    "shouldn't", "since",    "so",        "some",
     "somebody",   "someone",  "something", "sometimes", "sort",     "still",     "stuff",
     "such",       "sure",     "take",      "tell",      "than",     "thank",     "thanks",
     "that",       "that's",   "the",       "their",     "theirs",   "them",      "themselves",
     "then",       "there",    "there's",   "these",     "they",     "they'd",    "they'll",
     "they're",    "they've",  "thing",     "things",    "think",    "this",      "those",
     "though",     "through",  "to",        "today",     "too",      "totally",   "toward",
     "truly",      "try",      "uh",        "um",        "under",    "until",     "up",
     "upon",       "us",       "use",       "used",      "very",     "want",      "wanted",
     "was",        "wasn't",   "way",       "we",        "we'd",     "we'll",     "we're",
     "we've",      "well",     "went",      "were",      "weren't",  "what",      "what's",
     "whatever",   "when",     "where",     "whether",   "which",    "while",     "who",
     "who's",      "whole",    "whom",      "whose",     "why",      "will",      "with",
     "within",     "without",  "won't",     "would",     "wouldn't", "yeah",      "yes",
     "yet",        "you",      "you'd",     "you'll",    "you're",   "you've",    "your",
     "yours",      "yourself", "yourselves"});

// Number words say "how much", not "what about".
constexpr auto kNumberWords = std::to_array<std::string_view>(
    {"two",     "three", "four",   "five",    "six",      "seven",    "eight",
     "nine",    "ten",   "eleven", "twelve",  "fifteen",  "twenty",   "thirty",
     "forty",   "fifty", "sixty",  "hundred", "hundreds", "thousand", "thousands",
     "million", "half",  "first",  "second",  "third"});

// Nouns that name no topic: talk about talk, time and quantity.
constexpr auto kGenericNouns = std::to_array<std::string_view>(
    {"question",  "questions", "answer",  "answers",  "month",   "months", "year",
     "years",     "minute",    "minutes", "second",   "seconds", "time",   "times",
     "bit",       "extra",     "name",    "guy",      "guys",    "person", "fact",
     "case",      "example",   "number",  "matter",   "episode", "show",   "podcast",
     "listeners", "everyone",  "thanks",  "pleasure", "welcome"});

// Verbs that are rarely nouns: irregular past forms as written, and base forms (whose
// -s/-ed/-ing forms stem to them). Regular past forms need no list: an "-ed" word with
// nothing noun-like before it counts as a verb (see EpisodeAnalysis::nounness).
constexpr auto kVerbs = std::to_array<std::string_view>(
    {"knew",     "ran",      "fell",      "went",       "came",     "took",      "told",
     "brought",  "bought",   "thought",   "found",      "gave",     "kept",      "left",
     "lost",     "met",      "paid",      "sat",        "saw",      "sent",      "spent",
     "stood",    "stuck",    "taught",    "understood", "won",      "wrote",     "held",
     "heard",    "grew",     "drove",     "began",      "broke",    "chose",     "drew",
     "felt",     "fought",   "flew",      "forgot",     "hid",      "led",       "meant",
     "rode",     "rang",     "rose",      "shook",      "slept",    "sold",      "spoke",
     "stole",    "threw",    "woke",      "wore",       "became",   "overheard", "happen",
     "explain",  "bring",    "decide",    "believe",    "remember", "realize",   "realise",
     "consider", "appear",   "expect",    "suggest",    "require",  "overtake",  "assume",
     "agree",    "admit",    "pretend",   "learn",      "carry",    "follow",    "seem",
     "become",   "allow",    "prefer",    "manage",     "notice",   "mention",   "describe",
     "discover", "imagine",  "wonder",    "worry",      "hope",     "enjoy",     "avoid",
     "refuse",   "forget",   "arrive",    "tend",       "belong",   "deserve",   "depend",
     "persuade", "convince", "recommend", "reckon",     "slid",     "tell",      "find"});

constexpr auto kVagueNouns = std::to_array<std::string_view>(
    {"day",   "week",   "moment", "hour",  "work",  "way",     "life",    "world",
     "pair",  "piece",  "point",  "end",   "start", "side",    "place",   "area",
     "level", "hand",   "home",   "job",   "money", "problem", "issue",   "idea",
     "story", "reason", "result", "kind",  "type",  "sort",    "bunch",   "couple",
     "look",  "lot",    "bit",    "thing", "stuff", "basics",  "question"});

constexpr auto kFillers = std::to_array<std::string_view>(
    {"um", "umm", "uh", "uhh", "uhm", "er", "erm", "ah", "hmm", "mm", "mhm", "eh", "ehm"});

// Words that may stutter without a comma ("the the") and are never doubled on purpose.
constexpr auto kStutterWords =
    std::to_array<std::string_view>({"i", "the", "a", "an", "we", "it", "you", "they", "and", "to",
                                     "is", "so", "in", "my", "but", "of"});

constexpr auto kLeadingMarkers = std::to_array<std::string_view>(
    {"so", "and",  "but", "well", "okay", "ok",     "now",  "right", "alright", "yeah", "yes",
     "oh", "look", "see", "um",   "uh",   "anyway", "also", "then",  "like",    "hey",  "sure"});

constexpr auto kStrongContinuations =
    std::to_array<std::string_view>({"and", "because", "'cause", "cause", "which", "or", "plus",
                                     "also", "otherwise", "then", "too"});
// "But" contrasts with what came before and often opens a paragraph of narration ("But a
// box only helps if…"), so it only leans on the past.
constexpr auto kWeakContinuations = std::to_array<std::string_view>(
    {"that", "that's", "this", "it", "it's", "they", "they're", "those", "these", "he", "she", "so",
     "there", "but", "another"});

constexpr auto kNewTopicOpeners = std::to_array<std::string_view>({"let's talk about",
                                                                   "let's move",
                                                                   "let's turn",
                                                                   "let's get to",
                                                                   "let's switch",
                                                                   "moving on",
                                                                   "switching gears",
                                                                   "changing gears",
                                                                   "another thing",
                                                                   "next up",
                                                                   "okay so",
                                                                   "ok so",
                                                                   "all right so",
                                                                   "alright so",
                                                                   "so let's",
                                                                   "now let's",
                                                                   "the next",
                                                                   "on to",
                                                                   "turning to",
                                                                   "speaking of",
                                                                   "let me tell you about",
                                                                   "i want to talk about",
                                                                   "i want to turn",
                                                                   "i'd like to talk about",
                                                                   "second thing",
                                                                   "the second",
                                                                   "the third",
                                                                   "the last thing",
                                                                   "let's look at",
                                                                   "so what is",
                                                                   "so what's",
                                                                   "meanwhile",
                                                                   "here's the thing",
                                                                   "the thing is",
                                                                   "the big thing",
                                                                   "the main thing",
                                                                   "the key thing",
                                                                   "next question",
                                                                   "let's start",
                                                                   "to understand",
                                                                   "what about",
                                                                   "the other thing",
                                                                   "one more thing",
                                                                   "finally",
                                                                   "let's get",
                                                                   "before we finish",
                                                                   "before we wrap",
                                                                   "before we go",
                                                                   "to wrap up",
                                                                   "we're almost out of time",
                                                                   "we're nearly out of time",
                                                                   "we're running out of time",
                                                                   "last question",
                                                                   "one last question",
                                                                   "final question"});

// Connectives that may precede a topic cue without making the sentence a continuation
// ("And another thing", "So, here's the thing", "But meanwhile").
constexpr auto kCueLeads = std::to_array<std::string_view>(
    {"and", "but", "so", "okay", "ok", "well", "now", "right", "alright", "then", "also"});

constexpr auto kSmallTitleWords = std::to_array<std::string_view>(
    {"a",  "an", "the",  "and",  "but", "or", "nor", "for", "of",   "in",   "on",   "at",
     "to", "by", "with", "from", "as",  "vs", "via", "per", "into", "over", "than", "up"});

template <std::size_t N>
bool contains(const std::array<std::string_view, N>& list, std::string_view w) {
  return std::find(list.begin(), list.end(), w) != list.end();
}

enum class ByteKind { Letter, Apostrophe, Hyphen, Other };

// Kind and length of the character at text[i].
std::pair<ByteKind, std::size_t> char_at(std::string_view text, std::size_t i) {
  const auto c = static_cast<unsigned char>(text[i]);
  if (c < 0x80) {
    if (std::isalnum(c) != 0) return {ByteKind::Letter, 1};
    if (c == '\'') return {ByteKind::Apostrophe, 1};
    if (c == '-') return {ByteKind::Hyphen, 1};
    return {ByteKind::Other, 1};
  }
  std::size_t len = text::utf8_sequence_length(text, i);
  if (len == 0) return {ByteKind::Other, 1};
  if (len == 3 && c == 0xE2 && static_cast<unsigned char>(text[i + 1]) == 0x80) {
    const auto c2 = static_cast<unsigned char>(text[i + 2]);
    if (c2 == 0x99 || c2 == 0x98) return {ByteKind::Apostrophe, 3};
    return {ByteKind::Other, 3};
  }
  if (len == 3 && c == 0xE2 && static_cast<unsigned char>(text[i + 1]) == 0x81)
    return {ByteKind::Other, 3};
  if (len == 2 && c == 0xC2) return {ByteKind::Other, 2};  // NBSP, «, », ¿, ¡, ·
  return {ByteKind::Letter, len};
}

bool is_vowel(char c) {
  return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
}

bool is_consonant(const std::string& s, std::size_t i) {
  if (is_vowel(s[i])) return false;
  if (s[i] == 'y') return i == 0 || !is_consonant(s, i - 1);
  return std::isalpha(static_cast<unsigned char>(s[i])) != 0;
}

// Porter's measure m of s[0, len): the number of vowel-consonant sequences.
int measure(const std::string& s, std::size_t len) {
  int m = 0;
  std::size_t i = 0;
  while (i < len && is_consonant(s, i)) ++i;
  while (i < len) {
    while (i < len && !is_consonant(s, i)) ++i;
    if (i >= len) break;
    while (i < len && is_consonant(s, i)) ++i;
    ++m;
  }
  return m;
}

bool has_vowel(const std::string& s) {
  for (std::size_t i = 0; i < s.size(); ++i)
    if (!is_consonant(s, i)) return true;
  return false;
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

bool ends_cvc(const std::string& s) {
  const std::size_t n = s.size();
  if (n < 3) return false;
  const char last = s[n - 1];
  return is_consonant(s, n - 3) && !is_consonant(s, n - 2) && is_consonant(s, n - 1) &&
         last != 'w' && last != 'x' && last != 'y';
}

// One whitespace-separated word of a sentence, split into its punctuation and its core.
struct Piece {
  std::string lead;   // opening quotes or brackets
  std::string core;   // the word as written
  std::string trail;  // trailing punctuation: , . ? ! ; : … - —
  std::string lower;  // core, ASCII lower case, ’ → '
  bool removed = false;
};

bool is_trailing_punct(std::string_view s, std::size_t i, std::size_t& len) {
  const char c = s[i];
  if (c == ',' || c == '.' || c == '?' || c == '!' || c == ';' || c == ':' || c == '-' ||
      c == '"' || c == ')') {
    len = 1;
    return true;
  }
  // … — – ” (three bytes each)
  if (i + 2 < s.size() && static_cast<unsigned char>(c) == 0xE2 &&
      static_cast<unsigned char>(s[i + 1]) == 0x80) {
    const auto c2 = static_cast<unsigned char>(s[i + 2]);
    if (c2 == 0xA6 || c2 == 0x94 || c2 == 0x93 || c2 == 0x9D) {
      len = 3;
      return true;
    }
  }
  return false;
}

std::vector<Piece> pieces_of(std::string_view sentence) {
  std::vector<Piece> out;
  for (const auto& word : text::split(text::collapse_whitespace(sentence), ' ')) {
    if (word.empty()) continue;
    Piece p;
    std::size_t b = 0;
    while (b < word.size() && (word[b] == '"' || word[b] == '(' || word[b] == '\'')) ++b;
    // trailing punctuation, scanning back over whole UTF-8 sequences
    std::size_t e = word.size();
    for (bool more = true; more && e > b;) {
      more = false;
      for (std::size_t len : {std::size_t{1}, std::size_t{3}}) {
        if (e < b + len) continue;
        std::size_t got = 0;
        if (is_trailing_punct(word, e - len, got) && got == len) {
          e -= len;
          more = true;
          break;
        }
      }
    }
    p.lead = word.substr(0, b);
    p.core = word.substr(b, e - b);
    p.trail = word.substr(e);
    for (const auto& tok : tokenize(p.core)) p.lower += tok.lower;
    if (p.core.empty()) {  // a lone dash or quote: keep it as punctuation on its own
      p.core = p.trail;
      p.trail.clear();
    }
    out.push_back(std::move(p));
  }
  return out;
}

bool has_comma(const Piece& p) {
  return p.trail.find(',') != std::string::npos;
}

std::string terminal_of(const std::string& trail) {
  std::string t;
  for (char c : trail)
    if (c == '.' || c == '?' || c == '!') t.push_back(c);
  if (t.empty() && trail.find("\xE2\x80\xA6") != std::string::npos) t = "\xE2\x80\xA6";
  return t;
}

std::string join_pieces(const std::vector<Piece>& pieces) {
  std::string out;
  for (const auto& p : pieces) {
    if (p.removed) continue;
    if (!out.empty()) out.push_back(' ');
    out += p.lead + p.core + p.trail;
  }
  return out;
}

void capitalize_first(std::string& s) {
  for (auto& c : s) {
    if (std::isalpha(static_cast<unsigned char>(c)) != 0) {
      c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      return;
    }
    if (static_cast<unsigned char>(c) >= 0x80) return;
  }
}

// Index of the previous kept piece before i, or -1.
int prev_kept(const std::vector<Piece>& p, int i) {
  for (int j = i - 1; j >= 0; --j)
    if (!p[static_cast<std::size_t>(j)].removed) return j;
  return -1;
}

// Marks p[i] removed and moves its punctuation where it still belongs.
void remove_piece(std::vector<Piece>& p, int i, bool bracketed = false) {
  auto& r = p[static_cast<std::size_t>(i)];
  r.removed = true;
  const int j = prev_kept(p, i);
  if (j < 0) return;
  auto& prev = p[static_cast<std::size_t>(j)];
  const std::string term = terminal_of(r.trail);
  if (!term.empty()) {
    while (!prev.trail.empty() && (prev.trail.back() == ',' || prev.trail.back() == ';'))
      prev.trail.pop_back();
    prev.trail += term;
  } else if (bracketed && has_comma(r) && has_comma(prev)) {
    // "was, like, huge": the commas bracketed the filler; drop them both.
    prev.trail.erase(prev.trail.find(','), 1);
  }
}

std::string_view lower_word(const std::vector<Piece>& p, std::size_t i) {
  return i < p.size() ? std::string_view(p[i].lower) : std::string_view();
}

// Lower-cased words of `s` joined by single spaces, fillers and stutters dropped ("Um,
// okay, so" → "okay so"), for prefix matching.
std::string normalized_words(std::string_view s, std::size_t max_words) {
  std::string out;
  std::size_t n = 0;
  std::string_view last;
  for (const auto& tok : tokenize(s)) {
    if (contains(kFillers, tok.lower)) continue;
    if (tok.lower == last) continue;  // a stutter: "the, uh, the big thing"
    last = tok.lower;
    if (!out.empty()) out.push_back(' ');
    out += tok.lower;
    if (++n == max_words) break;
  }
  return out;
}

std::string verb_third_person(std::string_view verb) {
  std::string v(verb);
  if (v.empty()) return v;
  if (v == "have") return "has";
  if (v == "do") return "does";
  if (v == "go") return "goes";
  if (ends_with(v, "s") || ends_with(v, "sh") || ends_with(v, "ch") || ends_with(v, "x") ||
      ends_with(v, "z"))
    return v + "es";
  if (v.size() > 1 && v.back() == 'y' && !is_vowel(v[v.size() - 2]))
    return v.substr(0, v.size() - 1) + "ies";
  return v + "s";
}

constexpr auto kDeterminers =
    std::to_array<std::string_view>({"the", "a", "an", "your", "my", "our", "their", "his", "her",
                                     "its", "this", "that", "these", "those", "some"});
constexpr auto kGenericSubjects = std::to_array<std::string_view>(
    {"you", "we", "i", "one", "someone", "somebody", "anyone", "anybody", "listeners"});

}  // namespace

std::vector<Token> tokenize(std::string_view text) {
  std::vector<Token> out;
  std::size_t i = 0;
  const std::size_t n = text.size();
  while (i < n) {
    auto [kind, len] = char_at(text, i);
    if (kind != ByteKind::Letter) {
      i += len;
      continue;
    }
    Token tok;
    tok.begin = i;
    std::size_t end = i;
    while (i < n) {
      auto [k, l] = char_at(text, i);
      if (k == ByteKind::Letter) {
        for (std::size_t b = 0; b < l; ++b)
          tok.lower.push_back(
              l == 1 ? static_cast<char>(std::tolower(static_cast<unsigned char>(text[i + b])))
                     : text[i + b]);
        i += l;
        end = i;
        continue;
      }
      // An apostrophe or hyphen belongs to the word only between two letters.
      if ((k == ByteKind::Apostrophe || k == ByteKind::Hyphen) && i + l < n &&
          char_at(text, i + l).first == ByteKind::Letter) {
        tok.lower.push_back(k == ByteKind::Apostrophe ? '\'' : '-');
        i += l;
        continue;
      }
      break;
    }
    tok.end = end;
    out.push_back(std::move(tok));
  }
  return out;
}

LanguageRules::LanguageRules(std::string_view language) {
  const std::string lang = text::to_lower_ascii(language);
  english_ = lang.empty() || lang == "en" || text::starts_with_icase(lang, "en-");
  if (english_) stop_words_.insert(kEnglishStopWords.begin(), kEnglishStopWords.end());
}

bool LanguageRules::is_stop_word(std::string_view lower) const {
  if (!english_) return false;
  if (stop_words_.count(lower) != 0 || contains(kFillers, lower) || contains(kNumberWords, lower) ||
      contains(kGenericNouns, lower))
    return true;
  // Contractions not in the list ("we'd've", "y'all").
  return lower.find('\'') != std::string_view::npos && lower.size() <= 7;
}

bool LanguageRules::is_content(std::string_view lower) const {
  if (lower.size() < 3 || is_stop_word(lower)) return false;
  return std::any_of(lower.begin(), lower.end(), [](char c) {
    return std::isalpha(static_cast<unsigned char>(c)) != 0 ||
           static_cast<unsigned char>(c) >= 0x80;
  });
}

bool LanguageRules::is_vague_noun(std::string_view lower) const {
  return english_ && (contains(kVagueNouns, lower) || contains(kVagueNouns, stem(lower)));
}

bool LanguageRules::is_verb(std::string_view lower) const {
  if (!english_) return false;
  return contains(kVerbs, lower) || contains(kVerbs, stem(lower));
}

std::string LanguageRules::stem(std::string_view lower) const {
  std::string s(lower);
  if (!english_ || s.size() <= 3) return s;
  if (ends_with(s, "'s")) s.resize(s.size() - 2);
  // Plurals.
  if (ends_with(s, "sses")) {
    s.resize(s.size() - 2);
  } else if (ends_with(s, "ies") && s.size() > 4) {
    s.replace(s.size() - 3, 3, "y");
  } else if (ends_with(s, "s") && !ends_with(s, "ss") && !ends_with(s, "us") &&
             !ends_with(s, "is") && s.size() > 3) {
    s.pop_back();
  }
  // -ed / -ing, with Porter's clean-up of the stem left behind.
  std::string base;
  if (ends_with(s, "ied") && s.size() > 4) {
    s.replace(s.size() - 3, 3, "y");
  } else if (ends_with(s, "eed")) {
    // "agreed", "need": leave alone
  } else if (ends_with(s, "ing") && s.size() > 5) {
    base = s.substr(0, s.size() - 3);
  } else if (ends_with(s, "ed") && s.size() > 4) {
    base = s.substr(0, s.size() - 2);
  }
  if (!base.empty() && has_vowel(base)) {
    s = base;
    const char last = s.back();
    if (ends_with(s, "at") || ends_with(s, "bl") || ends_with(s, "iz")) {
      s.push_back('e');
    } else if (s.size() >= 2 && last == s[s.size() - 2] && is_consonant(s, s.size() - 1) &&
               last != 'l' && last != 's' && last != 'z') {
      s.pop_back();
    } else if (measure(s, s.size()) == 1 && ends_cvc(s)) {
      s.push_back('e');
    }
  }
  if (ends_with(s, "ly") && s.size() > 5) s.resize(s.size() - 2);
  if ((ends_with(s, "ness") || ends_with(s, "ment")) && s.size() > 7) s.resize(s.size() - 4);
  return s;
}

std::string LanguageRules::clean_disfluencies(std::string_view sentence) const {
  if (!english_) return text::collapse_whitespace(sentence);
  auto p = pieces_of(sentence);
  const int n = static_cast<int>(p.size());
  auto at = [&](int i) -> Piece& { return p[static_cast<std::size_t>(i)]; };
  auto prev_has_comma = [&](int i) {
    const int j = prev_kept(p, i);
    return j < 0 || has_comma(at(j));
  };
  for (int i = 0; i < n; ++i) {
    auto& w = at(i);
    if (w.removed) continue;
    const std::string_view lw = w.lower;
    if (contains(kFillers, lw)) {
      remove_piece(p, i);
      continue;
    }
    const std::string_view next = lower_word(p, static_cast<std::size_t>(i) + 1);
    const bool next_last = i + 1 == n - 1;
    // "you know" as a filler: set off by commas or closing the sentence.
    if (lw == "you" && next == "know" && !(w.trail.size() > 0)) {
      auto& k = at(i + 1);
      const std::string_view after = lower_word(p, static_cast<std::size_t>(i) + 2);
      if (after == "what" && i + 4 < n && lower_word(p, static_cast<std::size_t>(i) + 3) == "i" &&
          lower_word(p, static_cast<std::size_t>(i) + 4) == "mean" && i + 4 == n - 1) {
        for (int r = i; r <= i + 4; ++r) remove_piece(p, r);
        continue;
      }
      if (has_comma(k) || (next_last && prev_has_comma(i)) ||
          (!terminal_of(k.trail).empty() && prev_has_comma(i))) {
        remove_piece(p, i);
        remove_piece(p, i + 1, true);
        continue;
      }
    }
    if (lw == "i" && next == "mean" && w.trail.empty() && has_comma(at(i + 1)) &&
        prev_has_comma(i)) {
      remove_piece(p, i);
      remove_piece(p, i + 1);
      continue;
    }
    if (lw == "like" && has_comma(w) && prev_has_comma(i)) {
      remove_piece(p, i, true);
      continue;
    }
    // Stutters: "I, I", "the the", "th- the", "it's, it's".
    if (i + 1 < n && !next.empty()) {
      const bool dash =
          !w.trail.empty() && (w.trail.back() == '-' || ends_with(w.trail, "\xE2\x80\x94"));
      if (lw == next && (has_comma(w) || dash || contains(kStutterWords, lw))) {
        remove_piece(p, i);
        continue;
      }
      if (dash && !lw.empty() && next.size() > lw.size() && next.substr(0, lw.size()) == lw) {
        remove_piece(p, i);
        continue;
      }
      // Two-word repeats: "I was, I was going".
      if (i + 3 < n && has_comma(at(i + 1)) &&
          lw == lower_word(p, static_cast<std::size_t>(i) + 2) &&
          next == lower_word(p, static_cast<std::size_t>(i) + 3) && w.trail.empty()) {
        remove_piece(p, i);
        remove_piece(p, i + 1);
        continue;
      }
    }
  }
  std::string out = join_pieces(p);
  // A leading comma left by a removed opener.
  while (!out.empty() && (out.front() == ',' || out.front() == ' ')) out.erase(0, 1);
  capitalize_first(out);
  if (out.empty()) return out;
  const auto orig = text::trim(sentence);
  if (!orig.empty() && !terminal_of(std::string(1, orig.back())).empty() &&
      terminal_of(std::string(1, out.back())).empty() && !ends_with(out, "\xE2\x80\xA6")) {
    while (!out.empty() && (out.back() == ',' || out.back() == ';' || out.back() == ':'))
      out.pop_back();
    out.push_back(orig.back());
  }
  return out;
}

std::string LanguageRules::title_case(std::string_view s) const {
  auto p = pieces_of(s);
  std::string out;
  for (std::size_t i = 0; i < p.size(); ++i) {
    auto& w = p[i];
    // The first word after a colon starts a subtitle: "…: The Cold".
    const bool edge = i == 0 || i + 1 == p.size() || p[i - 1].trail.find(':') != std::string::npos;
    const bool inner_caps =
        std::any_of(w.core.begin() + (w.core.empty() ? 0 : 1), w.core.end(),
                    [](char c) { return std::isupper(static_cast<unsigned char>(c)) != 0; });
    if (!inner_caps) {
      const bool small = english_ && contains(kSmallTitleWords, w.lower);
      if (!small || edge) {
        // Capitalise each hyphenated part.
        bool start = true;
        for (auto& c : w.core) {
          if (start && std::isalpha(static_cast<unsigned char>(c)) != 0)
            c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
          start = c == '-';
        }
      } else {
        for (auto& c : w.core) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      }
    }
    if (!out.empty()) out.push_back(' ');
    out += w.lead + w.core + w.trail;
  }
  return out;
}

std::string LanguageRules::strip_leading_markers(std::string_view sentence) const {
  if (!english_) return std::string(text::trim(sentence));
  auto p = pieces_of(sentence);
  std::size_t i = 0;
  while (i < p.size()) {
    const auto& lw = p[i].lower;
    const bool more = i + 1 < p.size();
    if (contains(kLeadingMarkers, lw) && more && terminal_of(p[i].trail).empty()) {
      // "Well-known", "So-called" are not markers; "like" only with a comma.
      if (lw == "like" && !has_comma(p[i])) break;
      if (lw == "right" && !has_comma(p[i])) break;
      if (lw == "then" && !has_comma(p[i])) break;
      p[i].removed = true;
      ++i;
      continue;
    }
    if ((lw == "you" || lw == "i") && more && p[i + 1].lower == (lw == "you" ? "know" : "mean") &&
        has_comma(p[i + 1])) {
      p[i].removed = p[i + 1].removed = true;
      i += 2;
      continue;
    }
    break;
  }
  std::string out = join_pieces(p);
  capitalize_first(out);
  return out;
}

int LanguageRules::continuation_strength(std::string_view sentence) const {
  if (!english_) return 0;
  // "And another thing", "So what is the lesson": the connective only hands over.
  if (starts_new_topic(sentence) || announces_item(sentence)) return 0;
  const std::string first = normalized_words(sentence, 2);
  const std::string_view w = std::string_view(first).substr(0, first.find(' '));
  if (contains(kStrongContinuations, w)) return 2;
  // "After that, read the methods": a step that needs the one before it.
  if (first == "after that" || first == "before that" || first == "besides that") return 2;
  if (w == "so" && first != "so") {
    // "So how…", "So let's…" open a new thought; a bare "So" after an answer often does
    // too. Count "so" as a weak link only.
    return 1;
  }
  if (contains(kWeakContinuations, w)) return 1;
  return 0;
}

bool LanguageRules::starts_new_topic(std::string_view sentence) const {
  if (!english_) return false;
  std::string head = normalized_words(sentence, 9);
  auto opens_with = [&](std::string_view o) {
    return head.size() >= o.size() && head.compare(0, o.size(), o) == 0 &&
           (head.size() == o.size() || head[o.size()] == ' ');
  };
  const auto trimmed = text::trim(sentence);
  const bool question = !trimmed.empty() && trimmed.back() == '?';
  for (int leads = 0; leads < 3; ++leads) {
    if (std::any_of(kNewTopicOpeners.begin(), kNewTopicOpeners.end(), opens_with)) return true;
    // A pseudo-cleft names what comes next: "What saved it was the data."
    if (!question && opens_with("what") && !opens_with("what about")) return true;
    // "And there was another cost…", "There's another problem": "another" among the first
    // words adds a new item.
    std::size_t words = 0;
    for (std::size_t pos = 0; pos != std::string::npos && words < 4; ++words) {
      const std::size_t next = head.find(' ', pos);
      const std::string_view w = std::string_view(head).substr(
          pos, next == std::string::npos ? std::string::npos : next - pos);
      if (w == "another" && (words == 0 || head.starts_with("there"))) return true;
      pos = next == std::string::npos ? next : next + 1;
    }
    const std::size_t sp = head.find(' ');
    if (sp == std::string::npos || !contains(kCueLeads, std::string_view(head).substr(0, sp)))
      break;
    head.erase(0, sp + 1);
  }
  return false;
}

bool LanguageRules::announces_item(std::string_view sentence) const {
  if (!english_) return false;
  const auto p = pieces_of(clean_disfluencies(sentence));
  std::size_t i = 0;
  // "And next, …", "Okay, now the oven.", "So first, …"
  while (i + 1 < p.size() && contains(kCueLeads, p[i].lower) && p[i].lower != "now" &&
         p[i].lower != "then")
    ++i;
  if (i + 1 >= p.size()) return false;
  const std::string_view w = p[i].lower;
  const std::string_view w1 = p[i + 1].lower;
  const bool ordinal = w == "next" || w == "first" || w == "firstly" || w == "second" ||
                       w == "secondly" || w == "third" || w == "thirdly" || w == "finally" ||
                       w == "lastly";
  // "Next, coffee.", "First, the flour": an ordinal set off by a comma.
  if (ordinal && has_comma(p[i])) return true;
  // "Next comes the kneading.", "Then comes the hard part", "Now comes…"
  if ((ordinal || w == "then" || w == "now") && terminal_of(p[i].trail).empty() &&
      (w1 == "comes" || w1 == "come"))
    return true;
  if (w == "next" && (w1 == "up" || w1 == "step" || w1 == "thing") && !has_comma(p[i])) return true;
  // "Now the oven.", "Now salt, which…", "Now, the oven": "now" and a short verbless noun
  // phrase that ends the clause.
  if (w == "now") {
    std::size_t k = i + 1;
    if (k < p.size() && (p[k].lower == "the" || p[k].lower == "a" || p[k].lower == "an" ||
                         p[k].lower == "our" || p[k].lower == "your" || p[k].lower == "my"))
      ++k;
    const std::size_t from = k;
    for (; k < p.size() && k < from + 3; ++k) {
      if (!is_content(p[k].lower) || is_verb(p[k].lower)) return false;
      if (!p[k].trail.empty()) return has_comma(p[k]) || !terminal_of(p[k].trail).empty();
    }
  }
  return false;
}

namespace {

// A time frame put in front of a question ("Twenty years from now, what does …",
// "In ten years, will …") is part of what is asked: the words before `start`, as written,
// when they are one. "" otherwise.
std::string fronted_time_frame(const std::vector<Piece>& p, std::size_t start) {
  if (start == 0 || start > 6 || !has_comma(p[start - 1])) return {};
  constexpr auto kUnits = std::to_array<std::string_view>(
      {"year", "years", "decade", "decades", "month", "months", "century"});
  bool unit = false, from_now = false;
  for (std::size_t i = 0; i < start; ++i) {
    unit = unit || contains(kUnits, p[i].lower);
    from_now = from_now || (p[i].lower == "now" && i > 0 && p[i - 1].lower == "from");
  }
  const bool in_n = p[0].lower == "in" || p[0].lower == "by" || p[0].lower == "within";
  if (!unit || !(from_now || in_n)) return {};
  std::string out;
  for (std::size_t i = 0; i < start; ++i) {
    if (!out.empty()) out.push_back(' ');
    out += p[i].core;
  }
  return out;
}

}  // namespace

std::string LanguageRules::title_from_question(std::string_view question) const {
  if (!english_) return {};
  std::string q = strip_leading_markers(clean_disfluencies(question));
  auto p = pieces_of(q);
  if (p.empty()) return {};
  // Start at the last clause that opens with a question word ("Given all that, how do
  // you …" → "how do you …").
  constexpr auto kWh = std::to_array<std::string_view>(
      {"how", "why", "what", "when", "where", "which", "who", "what's"});
  std::size_t start = 0;
  for (std::size_t i = 0; i < p.size(); ++i) {
    if (contains(kWh, p[i].lower) && (i == 0 || has_comma(p[i - 1]) || i <= 6)) {
      start = i;
      break;
    }
  }
  const std::string frame = fronted_time_frame(p, start);
  std::vector<std::string> w, lw;  // words (trailing punctuation dropped) from `start`
  for (std::size_t i = start; i < p.size(); ++i) {
    // A reason clause explains why the asker asks ("…, because I remember you texting me
    // at three in the morning?"); the question ends before it.
    if (i > start + 1 && (p[i].lower == "because" || p[i].lower == "cause")) break;
    // Emphasis a title does without: "what actually happens" → "what happens".
    if (p[i].lower == "actually" || p[i].lower == "basically" || p[i].lower == "honestly" ||
        p[i].lower == "literally")
      continue;
    w.push_back(p[i].core);
    lw.push_back(p[i].lower);
  }
  auto rest_from = [&](std::size_t from) {
    std::string out;
    for (std::size_t i = from; i < w.size(); ++i) {
      if (!out.empty()) out.push_back(' ');
      out += w[i];
    }
    return out;
  };
  auto at = [&](std::size_t i) {
    return i < lw.size() ? std::string_view(lw[i]) : std::string_view();
  };
  // Preambles that wrap the real question.
  std::size_t k = 0;
  if ((at(0) == "can" || at(0) == "could" || at(0) == "would") && at(1) == "you" &&
      (at(2) == "tell" || at(2) == "talk" || at(2) == "explain" || at(2) == "walk" ||
       at(2) == "describe")) {
    k = 3;
    if (at(k) == "us" || at(k) == "me") ++k;
    if (at(k) == "a" && at(k + 1) == "bit") k += 2;
    if (at(k) == "more") ++k;
    if (at(k) == "about" || at(k) == "through") ++k;
  } else if ((at(0) == "tell" || at(0) == "talk" || at(0) == "walk") &&
             (at(1) == "us" || at(1) == "me")) {
    k = 2;
    if (at(k) == "a" && at(k + 1) == "bit") k += 2;
    if (at(k) == "more") ++k;
    if (at(k) == "about" || at(k) == "through") ++k;
  }
  if (k > 0) {
    if (k >= w.size()) return {};
    return title_case(rest_from(k));  // "tell us about your garden" → "Your Garden"
  }
  std::string title;
  const std::string_view a = at(0), b = at(1), c = at(2);
  const bool generic = contains(kGenericSubjects, c);
  // Where the verb of "how/why does SUBJECT VERB …" sits: after one noun ("the brain
  // need…"), or at the end of a run of content words ("city honey taste so…": a compound
  // subject, then the verb).
  auto subject_end = [&](std::size_t i) {
    if (contains(kDeterminers, at(i))) ++i;
    std::size_t j = i;
    while (j < w.size() && is_content(lw[j])) ++j;
    if (j >= i + 2 && j < w.size()) return j - 1;
    return std::min(i + 1, w.size());
  };
  if (a == "how" && (b == "do" || b == "can" || b == "should" || b == "would" || b == "could") &&
      generic && w.size() > 3) {
    if (at(3) == "think" || at(3) == "feel") return {};  // opinion questions: key phrases
    title = "How to " + rest_from(3);
  } else if (a == "how" &&
             (b == "often" || b == "much" || b == "many" || b == "long" || b == "soon") &&
             (c == "do" || c == "should" || c == "can") && contains(kGenericSubjects, at(3)) &&
             w.size() > 4) {
    title = "How " + w[1] + " to " + rest_from(4);  // "how often do you X" → "How Often to X"
  } else if (a == "how" && b == "does" && w.size() > 3) {
    const std::size_t se = subject_end(2);
    if (se < w.size()) {
      std::string subj;
      for (std::size_t i = 2; i < se; ++i) subj += (subj.empty() ? "" : " ") + w[i];
      title = "How " + subj + " " + verb_third_person(w[se]) +
              (se + 1 < w.size() ? " " + rest_from(se + 1) : "");
    }
  } else if (a == "why" && (b == "do" || b == "did") && w.size() > 3) {
    if (c == "you" && (at(3) == "think" || at(3) == "say" || at(3) == "believe"))
      title = "Why " + rest_from(4);
    else
      title = "Why " + rest_from(2);
  } else if (a == "why" && b == "does" && w.size() > 3) {
    const std::size_t se = subject_end(2);
    if (se < w.size()) {
      std::string subj;
      for (std::size_t i = 2; i < se; ++i) subj += (subj.empty() ? "" : " ") + w[i];
      title = "Why " + subj + " " + verb_third_person(w[se]) +
              (se + 1 < w.size() ? " " + rest_from(se + 1) : "");
    }
  } else if (a == "why" && (b == "is" || b == "are" || b == "was" || b == "were") && w.size() > 3) {
    if (c == "it" && at(3) == "that") {
      title = "Why " + rest_from(4);
    } else {
      // "why are city bees so calm": the subject is the whole noun run, then "are".
      std::size_t se = 2 + (contains(kDeterminers, at(2)) ? 1 : 0);
      const std::size_t noun = se;
      while (se < w.size() && is_content(lw[se])) ++se;
      if (se == noun) se = std::min(noun + 1, w.size());
      std::string subj;
      for (std::size_t i = 2; i < se; ++i) subj += (subj.empty() ? "" : " ") + w[i];
      title = "Why " + subj + " " + w[1] + (se < w.size() ? " " + rest_from(se) : "");
    }
  } else if (a == "why" && w.size() > 2) {
    title = rest_from(0);
  } else if ((a == "what" || a == "what's") && w.size() > 2) {
    const std::size_t r = a == "what's" ? 1 : (b == "is" || b == "are" || b == "was") ? 2 : 0;
    if (r > 0 && contains(kDeterminers, at(r)) && r + 1 < w.size()) {
      title = rest_from(r);  // "what's the best way to X" → "the best way to X"
    } else if (r == 0 && (b == "do" || b == "does" || b == "did") && c == "you" &&
               (at(3) == "think" || at(3) == "make" || at(3) == "feel") &&
               (at(4) == "about" || at(4) == "of") && w.size() > 5) {
      title = rest_from(5);  // "what do you think about X" → "X"
    } else if (r == 0 && (b == "should" || b == "do" || b == "can") && generic && w.size() > 3) {
      title = "What to " + rest_from(3);
    } else {
      title = rest_from(0);
    }
  } else if ((a == "when" || a == "where") && (b == "should" || b == "do" || b == "can") &&
             generic && w.size() > 3) {
    title = std::string(a == "when" ? "When" : "Where") + " to " + rest_from(3);
  } else if (contains(kWh, a)) {
    title = rest_from(0);
  } else {
    return {};  // yes/no questions and statements: key phrases do better
  }
  // Trailing filler ("…, exactly", "… in general", "… right").
  auto tp = pieces_of(title);
  constexpr auto kTrailing = std::to_array<std::string_view>(
      {"exactly", "really", "anyway", "then", "though", "right", "actually", "generally", "like",
       "there", "here", "now", "today", "again"});
  // "look like", "sound like", "feel like": there "like" is the preposition the verb needs.
  auto needed = [&] {
    if (tp.size() < 2 || tp.back().lower != "like") return false;
    const std::string& before = tp[tp.size() - 2].lower;
    return before.starts_with("look") || before.starts_with("sound") ||
           before.starts_with("feel") || before.starts_with("seem");
  };
  while (tp.size() > 2 &&
         (contains(kTrailing, tp.back().lower) || contains(kSmallTitleWords, tp.back().lower)) &&
         !needed())
    tp.pop_back();
  // A purpose clause about something said before: "… open a hive to check on all this".
  if (!tp.empty() && (tp.back().lower == "this" || tp.back().lower == "that" ||
                      tp.back().lower == "it" || tp.back().lower == "them")) {
    for (std::size_t cut = tp.size() - 1; cut-- > 3;)
      if (tp[cut].lower == "to") {
        tp.resize(cut);
        break;
      }
  }
  for (auto& piece : tp)
    std::erase_if(piece.trail, [](char ch) { return ch == '?' || ch == '.' || ch == '!'; });
  if (!tp.empty()) tp.back().trail.clear();
  title = join_pieces(tp);
  // "Twenty years from now, what does the library look like?" asks for a prediction.
  if (!frame.empty() && title.size() + 1 + frame.size() <= 80) title += " " + frame;
  if (title.size() > 80) return {};
  return title_case(title);
}

namespace {

constexpr auto kBackPronouns =
    std::to_array<std::string_view>({"it", "this", "that", "they", "them", "these", "those"});

constexpr auto kYesNoOpeners = std::to_array<std::string_view>(
    {"are",      "is",     "was",      "were",      "do",      "does",   "did",
     "can",      "could",  "should",   "would",     "will",    "has",    "have",
     "isn't",    "aren't", "wasn't",   "don't",     "doesn't", "didn't", "can't",
     "couldn't", "won't",  "wouldn't", "shouldn't", "hasn't",  "haven't"});

}  // namespace

bool LanguageRules::refers_back(std::string_view sentence) const {
  if (!english_) return false;
  for (const auto& tok : tokenize(sentence))
    if (contains(kBackPronouns, tok.lower)) return true;
  return false;
}

std::string LanguageRules::title_from_yes_no_question(std::string_view question) const {
  if (!english_) return {};
  auto p = pieces_of(strip_leading_markers(clean_disfluencies(question)));
  // The question proper starts at the first word or after a comma ("Ten years from now,
  // will most of us …").
  std::size_t start = p.size();
  for (std::size_t i = 0; i < p.size(); ++i)
    if (contains(kYesNoOpeners, p[i].lower) && (i == 0 || has_comma(p[i - 1]))) {
      start = i;
      break;
    }
  if (start + 2 >= p.size()) return {};
  std::string frame = fronted_time_frame(p, start);
  std::vector<Piece> w(p.begin() + static_cast<std::ptrdiff_t>(start), p.end());
  // "…, because I read that somewhere?": the reason for asking is not the question.
  for (std::size_t i = 2; i < w.size(); ++i)
    if (w[i].lower == "because" || w[i].lower == "cause") {
      w.resize(i);
      break;
    }
  // Trailing filler: "… at all", "… really", "… then".
  constexpr auto kTrailing = std::to_array<std::string_view>(
      {"really", "then", "though", "now", "anyway", "actually", "right", "honestly", "too"});
  while (w.size() > 3) {
    if (w.back().lower == "all" && w[w.size() - 2].lower == "at") {
      w.resize(w.size() - 2);
    } else if (contains(kTrailing, w.back().lower)) {
      w.pop_back();
    } else {
      break;
    }
  }
  std::size_t content = 0;
  for (std::size_t i = 1; i < w.size(); ++i) {
    if (contains(kBackPronouns, w[i].lower)) return {};
    if (is_content(w[i].lower)) ++content;
  }
  if (content < 2) return {};
  for (auto& piece : w) piece.trail.clear();
  std::string title = join_pieces(w);
  // "Ten years from now, will most of us …?" keeps its frame where the asker put it.
  if (!frame.empty() && title.size() + 2 + frame.size() <= 79) title = frame + ", " + title;
  if (title.size() + 1 > 80) return {};
  return title_case(title) + "?";
}

}  // namespace hark::insight
