#include "insight/lexicon.hpp"

#include <cstdlib>
#include <fstream>
#include <optional>
#include <sstream>

namespace hark::insight {
namespace {

constexpr std::array<std::string_view, 4> kClassFiles = {"noun", "verb", "adj", "adv"};

// WordNet's detachment rules (morphy): suffix → replacement, by class.
struct Rule {
  std::string_view suffix;
  std::string_view ending;
};
constexpr std::array kNounRules = {Rule{"s", ""},      Rule{"ses", "s"},   Rule{"xes", "x"},
                                   Rule{"zes", "z"},   Rule{"ches", "ch"}, Rule{"shes", "sh"},
                                   Rule{"men", "man"}, Rule{"ies", "y"}};
constexpr std::array kVerbRules = {Rule{"s", ""},    Rule{"ies", "y"}, Rule{"es", "e"},
                                   Rule{"es", ""},   Rule{"ed", "e"},  Rule{"ed", ""},
                                   Rule{"ing", "e"}, Rule{"ing", ""}};
constexpr std::array kAdjRules = {Rule{"er", ""}, Rule{"est", ""}, Rule{"er", "e"},
                                  Rule{"est", "e"}};

// Which class a sense key ("run%2:38:00::") belongs to: its ss_type digit.
int class_of_sense_key(std::string_view key) {
  const auto pct = key.find('%');
  if (pct == std::string_view::npos || pct + 1 >= key.size()) return -1;
  switch (key[pct + 1]) {
    case '1':
      return 0;
    case '2':
      return 1;
    case '3':
    case '5':
      return 2;
    case '4':
      return 3;
    default:
      return -1;
  }
}

}  // namespace

Result<Lexicon> Lexicon::load(const std::filesystem::path& dir) {
  Lexicon lex;
  for (std::size_t c = 0; c < kClassFiles.size(); ++c) {
    const auto path = dir / ("index." + std::string(kClassFiles[c]));
    std::ifstream in(path);
    if (!in) return not_found("no WordNet index at " + path.string());
    std::string line;
    while (std::getline(in, line)) {
      if (line.empty() || line[0] == ' ') continue;  // the licence header
      const auto sp = line.find(' ');
      if (sp == std::string::npos || sp == 0) continue;
      lex.lemmas_[line.substr(0, sp)][c] += 1.0F;
    }
    std::ifstream exc(dir / (std::string(kClassFiles[c]) + ".exc"));
    while (std::getline(exc, line)) {
      std::istringstream words(line);
      std::string form, base;
      if (words >> form >> base) lex.exceptions_[c].emplace(form, base);
    }
  }
  if (lex.lemmas_.empty())
    return invalid_input("the WordNet index at " + dir.string() + " is empty");
  // Sense-tagged counts: "run%2:38:00:: 1 160" (sense key, sense number, times tagged).
  std::ifstream counts(dir / "cntlist.rev");
  std::string line;
  while (std::getline(counts, line)) {
    std::istringstream fields(line);
    std::string key;
    int sense = 0, tagged = 0;
    if (!(fields >> key >> sense >> tagged) || tagged <= 0) continue;
    const int c = class_of_sense_key(key);
    if (c < 0) continue;
    auto it = lex.lemmas_.find(key.substr(0, key.find('%')));
    if (it != lex.lemmas_.end() && it->second[static_cast<std::size_t>(c)] > 0)
      it->second[static_cast<std::size_t>(c)] += static_cast<float>(tagged);
  }
  return lex;
}

WordClasses Lexicon::classes(std::string_view lower_word) const {
  std::array<float, 4> out{};
  const std::string word(lower_word);
  auto take = [&](std::size_t c, const std::string& base) {
    const auto it = lemmas_.find(base);
    if (it != lemmas_.end() && it->second[c] > 0) out[c] = std::max(out[c], it->second[c]);
  };
  auto detach = [&](std::size_t c, const auto& rules) {
    for (const Rule& r : rules) {
      if (word.size() <= r.suffix.size() + 1 || !word.ends_with(r.suffix)) continue;
      const std::string stem = word.substr(0, word.size() - r.suffix.size());
      // "-es" is a bare ending only after a hissing sound or "o" ("fixes", "goes"): "bees"
      // is not a form of "be".
      if (r.suffix == "es" && r.ending.empty() &&
          !(stem.ends_with('s') || stem.ends_with('x') || stem.ends_with('z') ||
            stem.ends_with("ch") || stem.ends_with("sh") || stem.ends_with('o')))
        continue;
      take(c, stem + std::string(r.ending));
    }
  };
  for (std::size_t c = 0; c < 4; ++c) {
    take(c, word);
    const auto [from, to] = exceptions_[c].equal_range(word);
    for (auto it = from; it != to; ++it) take(c, it->second);
  }
  detach(0, kNounRules);
  detach(1, kVerbRules);
  detach(2, kAdjRules);
  return {out[0], out[1], out[2], out[3]};
}

bool Lexicon::has_noun(std::string_view lemma) const {
  const auto it = lemmas_.find(std::string(lemma));
  return it != lemmas_.end() && it->second[0] > 0;
}

std::string Lexicon::verb_lemma(std::string_view lower_word) const {
  const std::string word(lower_word);
  auto verb = [&](const std::string& base) {
    const auto it = lemmas_.find(base);
    return it != lemmas_.end() && it->second[1] > 0;
  };
  const auto [from, to] = exceptions_[1].equal_range(word);
  for (auto it = from; it != to; ++it)
    if (verb(it->second)) return it->second;
  if (verb(word)) return word;
  for (const Rule& r : kVerbRules) {
    if (word.size() <= r.suffix.size() + 1 || !word.ends_with(r.suffix)) continue;
    std::string base = word.substr(0, word.size() - r.suffix.size()) + std::string(r.ending);
    if (verb(base)) return base;
  }
  return {};
}

std::string Lexicon::gerund(std::string_view base_view) const {
  const std::string base(base_view);
  if (base.size() < 2) return base + "ing";
  auto vowel = [](char c) { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u'; };
  if (base.ends_with("ie")) return base.substr(0, base.size() - 2) + "ying";  // lie → lying
  if (base.back() == 'e' && base != "be" && !base.ends_with("ee") && !base.ends_with("oe") &&
      !base.ends_with("ye"))
    return base.substr(0, base.size() - 1) + "ing";  // reuse → reusing
  const std::size_t n = base.size();
  const bool cvc = n >= 3 && !vowel(base[n - 1]) && base[n - 1] != 'w' && base[n - 1] != 'x' &&
                   base[n - 1] != 'y' && vowel(base[n - 2]) && !vowel(base[n - 3]);
  if (cvc) {
    const std::string doubled = base + base.back() + "ing";
    if (lemmas_.count(doubled) != 0) return doubled;  // beginning, cutting, shopping
    int groups = 0;
    for (std::size_t i = 0; i < n; ++i)
      if (vowel(base[i]) && (i == 0 || !vowel(base[i - 1]))) ++groups;
    if (groups == 1) return doubled;  // stop → stopping; open → opening
  }
  return base + "ing";
}

const Lexicon* english_lexicon() {
  static const auto loaded = []() -> std::optional<Lexicon> {
    const char* env = std::getenv("HARK_WORDNET_DIR");
    auto lex = Lexicon::load(env != nullptr && *env != '\0' ? env : "/usr/share/wordnet");
    if (!lex) return std::nullopt;
    return std::move(*lex);
  }();
  return loaded ? &*loaded : nullptr;
}

}  // namespace hark::insight
