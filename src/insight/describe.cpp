#include "insight/describe.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <numeric>
#include <tuple>
#include <unordered_map>

#include "core/text.hpp"
#include "insight/lexicon.hpp"

namespace hark::insight {
namespace {

// From this share of verb and adverb uses in the lexicon on, a word heads no noun phrase.
constexpr float kLexicalVerb = 0.5F;

bool valid(const Passage& p) {
  return p.analysis != nullptr && p.first <= p.last && p.last < p.analysis->size();
}

// How many times the passage says each term.
std::unordered_map<TermId, int> term_counts(const Passage& p) {
  std::unordered_map<TermId, int> said;
  for (std::size_t i = p.first; i <= p.last; ++i)
    for (TermId t : p.analysis->sentence(i).terms) ++said[t];
  return said;
}

// A sentence worth using as a claim: not a question, not a one-word reply.
bool is_claim(const AnalyzedSentence& s) {
  return !s.question && s.word_count >= 6 && s.terms.size() >= 2;
}

std::size_t count_content(const LanguageRules& rules, std::string_view text) {
  std::size_t n = 0;
  for (const auto& tok : tokenize(text))
    if (rules.is_content(tok.lower)) ++n;
  return n;
}

// TextRank scores blended with how much a sentence says (long, content-rich sentences
// carry claims; "Right, exactly." does not).
std::vector<double> informative_rank(const Passage& p) {
  auto rank = text_rank(p);
  for (std::size_t i = 0; i < rank.size(); ++i) {
    const auto& s = p.analysis->sentence(p.first + i);
    const double content = std::min(1.0, static_cast<double>(s.terms.size()) / 8.0);
    rank[i] *= 0.4 + 0.6 * content;
  }
  return rank;
}

// The question the passage answers: the last question of its opening turn, when another
// turn follows (an interview), or a question in its first two sentences (a monologue that
// asks itself).
std::optional<std::size_t> leading_question(const Passage& p) {
  const auto& a = *p.analysis;
  const auto& first_turn = a.turns()[a.sentence(p.first).turn];
  const std::size_t turn_end = std::min(first_turn.last, p.last);
  // "Tom?" hands the floor over; it asks nothing.
  // A question of stop words alone asks about what its turn said before it ("You're not
  // paid for any of this. Why do you do it?").
  auto asks = [&](std::size_t i) {
    const auto& s = a.sentence(i);
    if (!s.question) return false;
    if (std::any_of(s.terms.begin(), s.terms.end(),
                    [&](TermId t) { return !a.speaker_name_term(t); }))
      return true;
    return i > first_turn.first && i > p.first && a.sentence(i - 1).turn == s.turn &&
           !a.sentence(i - 1).question && !a.sentence(i - 1).terms.empty() &&
           tokenize(s.sentence.text).size() >= 3;
  };
  if (turn_end < p.last) {
    for (std::size_t i = turn_end + 1; i-- > p.first;)
      if (asks(i)) return i;
  }
  for (std::size_t i = p.first; i <= std::min(p.last, p.first + 1); ++i)
    if (asks(i)) return i;
  return std::nullopt;
}

bool is_determiner(std::string_view w) {
  return w == "the" || w == "a" || w == "an" || w == "my" || w == "your" || w == "our" ||
         w == "their" || w == "his" || w == "her" || w == "this" || w == "these" || w == "those" ||
         w == "some" || w == "its";
}

// Words that count or pick out ("single", "entire", "several") rather than describe.
bool is_quantifier(std::string_view w) {
  return w == "single" || w == "whole" || w == "entire" || w == "other" || w == "same" ||
         w == "many" || w == "few" || w == "several" || w == "certain" || w == "various" ||
         w == "each" || w == "every";
}

// Trims a phrase's surface text of punctuation at the ends.
std::string phrase_text(std::string_view sentence, const Token& first, const Token& last) {
  return std::string(sentence.substr(first.begin, last.end - first.begin));
}

}  // namespace

std::vector<double> text_rank(const Passage& p) {
  if (!valid(p)) return {};
  const auto& a = *p.analysis;
  const std::size_t n = p.last - p.first + 1;
  std::vector<std::vector<float>> sim(n, std::vector<float>(n, 0.0F));
  std::vector<double> out_weight(n, 0.0);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = i + 1; j < n; ++j) {
      const float s = cosine(a.sentence(p.first + i).vector, a.sentence(p.first + j).vector);
      sim[i][j] = sim[j][i] = s;
      out_weight[i] += s;
      out_weight[j] += s;
    }
  std::vector<double> score(n, 1.0), next(n);
  constexpr double kDamping = 0.85;
  for (int iter = 0; iter < 30; ++iter) {
    for (std::size_t i = 0; i < n; ++i) {
      double sum = 0;
      for (std::size_t j = 0; j < n; ++j)
        if (sim[j][i] > 0 && out_weight[j] > 0) sum += sim[j][i] / out_weight[j] * score[j];
      next[i] = (1 - kDamping) + kDamping * sum;
    }
    score.swap(next);
  }
  return score;
}

std::string as_bullet(const LanguageRules& rules, std::string_view sentence,
                      std::size_t max_words) {
  std::string s = rules.strip_leading_markers(rules.clean_disfluencies(sentence));
  const auto tokens = tokenize(s);
  if (tokens.size() > max_words) {
    // Cut at the last clause boundary (, ; : —) after a third of the limit.
    std::size_t cut = std::string::npos;
    for (std::size_t i = max_words / 3; i < max_words && i < tokens.size(); ++i) {
      const std::size_t after = tokens[i].end;
      if (after < s.size() && (s[after] == ',' || s[after] == ';' || s[after] == ':')) cut = after;
    }
    if (cut == std::string::npos) cut = tokens[max_words - 1].end;
    s = s.substr(0, cut);
    while (!s.empty() && (s.back() == ',' || s.back() == ' ')) s.pop_back();
    s += "\xE2\x80\xA6";
  }
  return s;
}

std::vector<KeyPhrase> key_phrases(const Passage& p, std::size_t from, std::size_t to,
                                   std::size_t focus_from, std::size_t focus_to) {
  if (!valid(p)) return {};
  const auto& a = *p.analysis;
  const auto& rules = a.rules();
  // Term weight: frequency in the passage (damped) × rarity in the episode × how surely the
  // word is a noun, raised for words used after a determiner ("the tent", "a sourdough
  // starter") and for words of the focus sentences (the question, the first answer), where
  // speakers name what they are about to talk about, and of the sentence the listener
  // tapped in, which made them want to keep the moment.
  std::unordered_map<TermId, double> count;
  std::unordered_map<TermId, double> boost;
  // Words that mostly modify the next word ("wild bees", "biggest danger") are adjectives:
  // a phrase does not end on one.
  std::unordered_map<TermId, int> modifies;
  // Words said where a noun goes: after a determiner, or after a determiner and an
  // adjective ("a loose lead"). There the lexicon's verb reading does not apply.
  const Lexicon* lexicon = rules.english() ? english_lexicon() : nullptr;
  std::unordered_map<TermId, bool> noun_slot;
  auto adjective = [&](std::string_view w) {
    if (lexicon == nullptr) return false;
    const auto wc = lexicon->classes(w);
    return wc.known() && wc.adj > 0.5F * wc.total();
  };
  for (std::size_t i = p.first; i <= p.last; ++i) {
    const auto tokens = tokenize(a.sentence(i).sentence.text);
    for (std::size_t k = 0; k < tokens.size(); ++k) {
      if (!rules.is_content(tokens[k].lower)) continue;
      const auto term = a.term_of(tokens[k].lower);
      if (!term) continue;
      count[*term] += 1;
      if ((k > 0 && is_determiner(tokens[k - 1].lower)) ||
          (k > 1 && is_determiner(tokens[k - 2].lower) && adjective(tokens[k - 1].lower)))
        noun_slot[*term] = true;
      // Only before a word that can head a noun phrase: in "the manager fills it in",
      // "manager" is the head and "fills" its verb.
      if (k + 1 < tokens.size() && tokens[k + 1].begin - tokens[k].end <= 1 &&
          rules.is_content(tokens[k + 1].lower)) {
        const auto next = a.term_of(tokens[k + 1].lower);
        const bool verb_s =
            tokens[k + 1].lower.ends_with('s') && next && a.lexical_verb(*next) >= kLexicalVerb;
        if (!verb_s) ++modifies[*term];
      }
      double b = (i >= focus_from && i <= focus_to) || i == p.moment ? 1.5 : 1.0;
      if (rules.english()) {
        const bool after_det = (k > 0 && is_determiner(tokens[k - 1].lower)) ||
                               (k > 1 && is_determiner(tokens[k - 2].lower));
        if (after_det) b *= 1.5;
        const auto& word = tokens[k].lower;
        if (word.size() > 5 && (word.ends_with("ing") || word.ends_with("ed"))) b *= 0.6;
      }
      boost[*term] = std::max(boost[*term], b);
    }
  }
  // Concentration: a word whose occurrences in the episode mostly fall in this passage is
  // its topic; one spread over the whole episode ("ship" in an episode about shipping) is
  // the episode's.
  std::unordered_map<TermId, double> weight;
  for (const auto& [t, c] : count) {
    const double concentration = c / std::max<double>(c, a.frequency(t));
    weight[t] = std::sqrt(c) * a.idf(t) * boost[t] * (0.4 + 0.6 * a.nounness(t)) *
                (0.5 + 0.5 * std::sqrt(concentration)) *
                (rules.is_vague_noun(a.surface(t)) ? 0.5 : 1.0);
  }
  // A title names things: a phrase ends on a noun and holds no verb, adverb or name ("Sick
  // Days", not "Sick Days Fell"). Phrases that break the rule are kept as a last resort.
  // The lexicon vetoes heads it mostly uses as verbs or adverbs ("Manager Fills", "Knees
  // Hurt", "Fridge Overnight") unless said where a noun goes.
  auto noun_like = [&](TermId t) {
    return a.nounness(t) >= 0.5F && 2.0 * modifies[t] <= count[t] &&
           (a.lexical_verb(t) < kLexicalVerb || noun_slot[t]);
  };
  auto not_noun_like = [&](TermId t) { return a.nounness(t) < 0.34F || a.speaker_name_term(t); };
  // Candidate phrases: runs of up to three content words inside a sentence, with nothing
  // but a space between them ("sleep, memory" is two runs).
  std::unordered_map<std::string, KeyPhrase> phrases;  // by term key
  auto add_run = [&](std::string_view text, const std::vector<Token>& tokens, std::size_t b0,
                     std::size_t e0, bool in_focus) {  // [b0, e0)
    for (std::size_t b = b0; b < e0; ++b)
      for (std::size_t e = b; e < e0 && e < b + 3; ++e) {
        KeyPhrase ph;
        std::string key;
        double score = 0;
        for (std::size_t m = b; m <= e; ++m) {
          const auto term = a.term_of(tokens[m].lower);
          if (!term) continue;
          ph.terms.push_back(*term);
          key += std::to_string(*term) + ",";
          score += weight[*term];
        }
        if (ph.terms.empty()) continue;
        // Longer phrases read better as titles but must earn their length.
        const auto len = static_cast<double>(ph.terms.size());
        ph.score = score / std::sqrt(len) * (1.0 + 0.15 * (len - 1));
        // "lying on a blanket looking at me", "sat on the sand thinking": an "-ing" word
        // after a noun is what someone was doing, unless the episode uses it as a noun.
        const bool participle = e > b && tokens[e].lower.size() > 5 &&
                                tokens[e].lower.ends_with("ing") &&
                                a.nounness(ph.terms.back()) < 0.6F;
        // "get bright daylight earlier": a time adverb ends no noun phrase.
        const bool adverb = tokens[e].lower == "earlier" || tokens[e].lower == "later" ||
                            tokens[e].lower == "sooner" || tokens[e].lower == "afterwards" ||
                            tokens[e].lower == "anymore";
        // A compound the lexicon lists as a noun ("chewing gum") is one whatever its words.
        bool listed = false;
        if (lexicon != nullptr && e > b) {
          std::string joined = tokens[b].lower;
          for (std::size_t m = b + 1; m <= e; ++m) joined += "_" + tokens[m].lower;
          listed = lexicon->has_noun(joined);
        }
        const bool noun_phrase =
            listed || (noun_like(ph.terms.back()) && !participle && !adverb &&
                       std::none_of(ph.terms.begin(), ph.terms.end(), not_noun_like));
        if (rules.english() && !noun_phrase) ph.score *= 0.2;
        ph.compound = listed;
        ph.noun = noun_phrase;
        ph.text = phrase_text(text, tokens[b], tokens[e]);
        ph.mentions = static_cast<int>(count[ph.terms.back()]);
        ph.focus = in_focus;
        auto [it, inserted] = phrases.try_emplace(key, ph);
        if (!inserted) {
          it->second.score += ph.score * 0.5;  // repeated phrases are topics
          it->second.focus = it->second.focus || in_focus;
        }
      }
  };
  for (std::size_t i = from; i <= to; ++i) {
    const auto& text = a.sentence(i).sentence.text;
    const auto tokens = tokenize(text);
    const bool in_focus = i >= focus_from && i <= focus_to;
    std::size_t run = 0;
    for (std::size_t k = 0; k < tokens.size(); ++k) {
      const bool content = rules.is_content(tokens[k].lower);
      const bool joined = k > run && tokens[k].begin - tokens[k - 1].end <= 1;
      if (!content) {
        add_run(text, tokens, run, k, in_focus);
        run = k + 1;
      } else if (k > run && !joined) {
        add_run(text, tokens, run, k, in_focus);
        run = k;
      }
    }
    add_run(text, tokens, run, tokens.size(), in_focus);
  }
  std::vector<KeyPhrase> ranked;
  for (auto& [key, ph] : phrases) ranked.push_back(std::move(ph));
  std::sort(ranked.begin(), ranked.end(), [](const KeyPhrase& x, const KeyPhrase& y) {
    return x.score > y.score || (x.score == y.score && x.text < y.text);
  });
  return ranked;
}

namespace {

bool overlaps(const KeyPhrase& x, const KeyPhrase& y) {
  for (TermId t : x.terms)
    if (std::find(y.terms.begin(), y.terms.end(), t) != y.terms.end()) return true;
  return false;
}

std::optional<TermId> subject_term(const Passage& p);

// How the passage itself writes a term, its most frequent form there, forms used as nouns
// first ("buildings", where the episode as a whole says "build" more often).
std::string passage_surface(const Passage& p, TermId term) {
  const auto& a = *p.analysis;
  std::unordered_map<std::string, int> forms;
  std::string best;
  int best_count = 0;
  for (std::size_t i = p.first; i <= p.last; ++i) {
    const auto tokens = tokenize(a.sentence(i).sentence.text);
    for (std::size_t k = 0; k < tokens.size(); ++k)
      if (a.term_of(tokens[k].lower) == term) {
        // A form used as a noun ("the buildings", "of buildings") counts more than the verb.
        const std::string_view prev = k > 0 ? std::string_view(tokens[k - 1].lower) : "";
        const bool as_noun = is_determiner(prev) || prev == "of" || prev == "on" || prev == "in";
        const int c = forms[tokens[k].lower] += as_noun ? 3 : 1;
        if (c > best_count) best = tokens[k].lower, best_count = c;
      }
  }
  return best.empty() ? a.surface(term) : best;
}

// "X and Y" from the two best phrases that do not share a word, when the second is worth it.
// When X does not name the passage's subject (the noun it repeats most), the subject takes
// Y's place: listeners want to know what a moment is about before what is special in it.
std::string join_top(const std::vector<KeyPhrase>& ranked, const Passage& p) {
  if (ranked.empty()) return {};
  // A word said once outside the focus sentences is a detail, not a topic ("Energy Crisis
  // and Kettle"); a compound ("Free Sourdough Starter") was chosen with care.
  const auto& a = *p.analysis;
  const auto& rules = a.rules();
  auto topical = [](const KeyPhrase& ph) { return ph.noun && (ph.mentions >= 2 || ph.focus); };
  // What the passage comes back to outranks what it names once.
  auto strength = [](const KeyPhrase& ph) { return ph.score * (ph.mentions >= 2 ? 1.0 : 0.6); };
  const double floor = ranked.front().score * 0.3;
  const KeyPhrase* first = nullptr;
  for (const auto& ph : ranked)
    if (ph.score >= floor && topical(ph) && (first == nullptr || strength(ph) > strength(*first)))
      first = &ph;
  if (first == nullptr) first = &ranked.front();
  // The compound that holds it, when nearly as strong: "Cargo Ship", not "Ship".
  const KeyPhrase* compound = nullptr;
  for (const auto& ph : ranked) {
    // A compound the lexicon lists ("chewing gum") needs less.
    if (ph.score < first->score * 0.5) break;
    if (ph.score < first->score * 0.7 && !ph.compound) continue;
    if (!ph.noun || ph.terms.size() <= first->terms.size()) continue;
    if (std::all_of(first->terms.begin(), first->terms.end(), [&](TermId t) {
          return std::find(ph.terms.begin(), ph.terms.end(), t) != ph.terms.end();
        })) {
      compound = &ph;
      break;
    }
  }
  if (compound != nullptr) first = compound;
  if (const auto subject = subject_term(p)) {
    const auto& top = first->terms;
    if (std::find(top.begin(), top.end(), *subject) == top.end())
      return first->text + " and " + passage_surface(p, *subject);
  }
  const KeyPhrase* second = nullptr;
  for (const auto& ph : ranked) {
    if (ph.score < first->score * 0.3) break;
    if (&ph == first || !ph.noun || (!topical(ph) && ph.terms.size() < 2)) continue;
    if (ph.terms.size() == 1 && rules.is_vague_noun(a.surface(ph.terms.front()))) continue;
    if (!overlaps(ph, *first) && (second == nullptr || strength(ph) > strength(*second)))
      second = &ph;
  }
  return second == nullptr ? first->text : first->text + " and " + second->text;
}

// Does the text name the word (by stems)?
bool names_word(std::string_view text, std::string_view lower_word, const EpisodeAnalysis& a) {
  const auto want = a.term_of(lower_word);
  if (!want) return false;
  for (const auto& tok : tokenize(text))
    if (a.term_of(tok.lower) == want) return true;
  return false;
}

// Does the text already name the phrase (by stems)?
bool names(const LanguageRules& rules, std::string_view text, const KeyPhrase& ph,
           const EpisodeAnalysis& a) {
  for (const auto& tok : tokenize(text))
    if (auto t = a.term_of(tok.lower))
      if (std::find(ph.terms.begin(), ph.terms.end(), *t) != ph.terms.end()) return true;
  (void)rules;
  return false;
}

// The passage's subject: the noun it repeats most (at least three times), however common it
// is in the episode — "bees" in an answer about swarming. Key phrases find what is special
// about a passage; listeners also want to know what it is about.
std::optional<TermId> subject_term(const Passage& p) {
  const auto& a = *p.analysis;
  std::unordered_map<TermId, int> count;
  for (std::size_t i = p.first; i <= p.last; ++i)
    for (TermId t : a.sentence(i).terms) ++count[t];
  std::optional<TermId> best;
  int best_count = 2;
  for (const auto& [t, c] : count) {
    if (a.nounness(t) < 0.5F || a.speaker_name_term(t) || a.rules().is_vague_noun(a.surface(t)))
      continue;
    if (c > best_count || (best && c == best_count && a.idf(t) > a.idf(*best))) {
      best = t;
      best_count = c;
    }
  }
  return best;
}

// The bare noun phrase a sentence opens with, up to its first comma or full stop, after
// discourse and sequence markers: "The cold, by far." → "The cold"; "Next, coffee." →
// "coffee"; "First, the flour, because it decides…" → "the flour". Speakers announce a
// topic this way. "" when the opening clause is not a noun phrase of at most `max_words`
// words ending on a noun (or is a lone name: "Priya, let's start" addresses someone).
std::string opening_noun_phrase(const EpisodeAnalysis& a, std::string_view sentence,
                                std::size_t max_words) {
  const auto& rules = a.rules();
  std::string lead = rules.strip_leading_markers(rules.clean_disfluencies(sentence));
  for (std::string_view marker : {"first", "next", "finally", "lastly", "second", "third"}) {
    const std::string head = text::to_lower_ascii(lead.substr(0, marker.size() + 1));
    if (head == std::string(marker) + "," || head == std::string(marker) + " ") {
      lead = std::string(text::trim(std::string_view(lead).substr(marker.size() + 1)));
      break;
    }
  }
  lead = lead.substr(0, lead.find_first_of(",.;!?"));
  const auto tokens = tokenize(lead);
  // Sentence adverbs that lead a clause are not its topic ("Meanwhile, moving goods…").
  for (std::string_view adverb :
       {"meanwhile", "however", "instead", "besides", "still", "anyway", "otherwise", "honestly",
        "basically", "actually", "obviously", "apparently", "personally", "seriously"})
    if (tokens.size() == 1 && tokens[0].lower == adverb) return {};
  if (tokens.empty() || tokens.size() > max_words) return {};
  bool has_determiner = false;
  for (std::size_t k = 0; k < tokens.size(); ++k) {
    const auto term = a.term_of(tokens[k].lower);
    if (k + 1 == tokens.size()) {
      if (!term || !rules.is_content(tokens[k].lower) || a.nounness(*term) < 0.5F ||
          a.speaker_name_term(*term) || rules.is_verb(tokens[k].lower))
        return {};
    } else if (is_determiner(tokens[k].lower)) {
      has_determiner = true;
    } else if (k > 0 && (tokens[k].lower == "first" || tokens[k].lower == "last" ||
                         tokens[k].lower == "next" || tokens[k].lower == "other" ||
                         tokens[k].lower == "whole" || tokens[k].lower == "same")) {
      continue;  // "the first week"
    } else if (!term || a.nounness(*term) < 0.34F || rules.is_verb(tokens[k].lower)) {
      return {};
    }
  }
  // A lone capitalised word is someone addressed ("Biscuit, where did she come from?").
  if (tokens.size() == 1 && !has_determiner) {
    const auto said = tokenize(sentence);
    for (std::size_t k = 1; k < said.size(); ++k)
      if (said[k].lower == tokens[0].lower && sentence[said[k].begin] >= 'A' &&
          sentence[said[k].begin] <= 'Z')
        return {};
  }
  return lead;
}

// The manner a passage insists on: an adverb it says at least three times and that the
// episode hardly says elsewhere ("go really slowly … embarrassingly slowly … so slowly"),
// with the activity it qualifies, the passage's most repeated other word, in its "-ing"
// form when the passage has one: "Running Slowly". "" when the passage insists on none.
std::string manner_title(const Passage& p) {
  const auto& a = *p.analysis;
  const auto& rules = a.rules();
  if (!rules.english()) return {};
  auto said = term_counts(p);
  std::optional<TermId> manner, activity;
  for (const auto& [t, c] : said) {
    const std::string& w = a.surface(t);
    if (c < 3 || w.size() <= 5 || !w.ends_with("ly") || a.speaker_name_term(t)) continue;
    if (static_cast<double>(c) < 0.6 * a.frequency(t)) continue;  // the episode's habit
    if (!manner || c > said[*manner]) manner = t;
  }
  if (!manner) return {};
  // Activities are said as verbs, and a passage that names one as an activity uses its
  // "-ing" form ("what running is"): such words come first, then the most repeated.
  std::unordered_map<TermId, std::string> ing_form;
  std::string adverb = a.surface(*manner);
  for (std::size_t i = p.first; i <= p.last; ++i)
    for (const auto& tok : tokenize(a.sentence(i).sentence.text)) {
      const auto t = a.term_of(tok.lower);
      if (!t) continue;
      if (tok.lower.size() > 5 && tok.lower.ends_with("ing")) ing_form[*t] = tok.lower;
      if (*t == *manner) adverb = tok.lower;
    }
  auto rank = [&](TermId t) { return std::tuple(ing_form.contains(t) ? 1 : 0, said[t], a.idf(t)); };
  for (const auto& [t, c] : said) {
    if (t == *manner || c < 2 || a.speaker_name_term(t) || rules.is_vague_noun(a.surface(t)))
      continue;
    if (a.surface(t).ends_with("ly")) continue;
    if (!activity || rank(t) > rank(*activity)) activity = t;
  }
  if (!activity) return {};
  const auto ing = ing_form.find(*activity);
  return (ing != ing_form.end() ? ing->second : a.surface(*activity)) + " " + adverb;
}

// The activity a passage is about, when it names one by its "-ing" form again and again
// ("running" in a chat about knees and shoes): a word said at least three times in the
// passage, at least twice as an "-ing" word, once as a gerund ("I tried running", "running
// was…") and never as a thing ("in the morning"). Nouns are found by subject_term(); this
// finds what they do not, as written.
std::string activity_word(const Passage& p) {
  const auto& a = *p.analysis;
  if (!a.rules().english()) return {};
  std::unordered_map<TermId, int> said, as_ing;
  std::unordered_map<TermId, std::string> form;
  std::unordered_map<TermId, bool> named_thing, gerund;
  for (std::size_t i = p.first; i <= p.last; ++i) {
    const auto tokens = tokenize(a.sentence(i).sentence.text);
    for (std::size_t k = 0; k < tokens.size(); ++k) {
      const auto& tok = tokens[k];
      const auto t = a.term_of(tok.lower);
      if (!t || !a.rules().is_content(tok.lower)) continue;
      ++said[*t];
      if (tok.lower.size() > 5 && tok.lower.ends_with("ing")) {
        ++as_ing[*t];
        form[*t] = tok.lower;
        const std::string_view prev = k > 0 ? std::string_view(tokens[k - 1].lower) : "";
        const std::string_view next =
            k + 1 < tokens.size() ? std::string_view(tokens[k + 1].lower) : "";
        const bool head = next.empty() || !a.rules().is_content(next);
        if (head &&
            (is_determiner(prev) || prev == "of" || prev == "in" || prev == "on" || prev == "at"))
          named_thing[*t] = true;  // "in the morning", "our building"
        // A gerund names the activity: "I started running", "running was for people".
        if (prev == "started" || prev == "start" || prev == "tried" || prev == "try" ||
            prev == "love" || prev == "hate" || prev == "enjoy" || prev == "quit" ||
            prev == "stopped" || prev == "about" || next == "is" || next == "was")
          gerund[*t] = true;
      }
    }
  }
  std::optional<TermId> best;
  for (const auto& [t, n] : as_ing) {
    if (n < 2 || said[t] < 3 || a.speaker_name_term(t) || named_thing[t] || !gerund[t]) continue;
    if (!best || said[t] > said[*best]) best = t;
  }
  return best ? form[*best] : std::string();
}

// "Running: Shoes and Knees": the activity the passage keeps naming, before key phrases
// (nouns) that leave it out.
std::string with_activity(const Passage& p, std::string title) {
  const std::string activity = activity_word(p);
  if (activity.empty() || title.empty() || names_word(title, activity, *p.analysis) ||
      activity.size() + 2 + title.size() > kMaxTitleBytes)
    return title;
  return p.analysis->rules().title_case(activity + ": " + title);
}

std::string titled_topic(const Passage& p);

// Verbs that say too little of what is done to stand in a title ("Getting Meetings").
bool light_verb(std::string_view lemma) {
  static constexpr std::array<std::string_view, 32> kLight = {
      "be",   "have", "do",    "get",  "make", "go",   "come", "take", "put",  "give", "say",
      "tell", "know", "think", "want", "need", "let",  "see",  "look", "use",  "try",  "keep",
      "find", "seem", "feel",  "mean", "like", "call", "ask",  "talk", "show", "leave"};
  return std::find(kLight.begin(), kLight.end(), lemma) != kLight.end();
}

// "Cutting Standing Meetings", "Reusing Passwords": a title that names only a thing ("Meetings")
// gains what the passage says to do with it, when a verb of the passage takes that thing as
// its object. Of several, the one the passage says most and the episode least.
std::string with_action(const Passage& p, std::string title) {
  const auto& a = *p.analysis;
  const auto& rules = a.rules();
  const Lexicon* lexicon = rules.english() ? english_lexicon() : nullptr;
  if (lexicon == nullptr || title.empty() || title.find_first_of(":?,") != std::string::npos ||
      text::to_lower_ascii(title).find(" and ") != std::string::npos)
    return title;
  const auto words = tokenize(title);
  if (words.empty() || words.size() > 3) return title;
  const auto head = a.term_of(words.back().lower);
  if (!head) return title;
  auto said = term_counts(p);
  std::string best;
  double best_score = 0;
  for (std::size_t i = p.first; i <= p.last; ++i) {
    const auto& text = a.sentence(i).sentence.text;
    const auto tokens = tokenize(text);
    for (std::size_t k = 0; k + 1 < tokens.size(); ++k) {
      const auto& w = tokens[k].lower;
      // An "-ing" word before a noun describes it ("standing meetings"); after a determiner
      // a word is a noun ("the cut").
      if (!rules.is_content(w) || w.ends_with("ing")) continue;
      // "a reused password": a participle between a determiner and the thing is what was
      // done to it ("Reusing Passwords").
      const bool participle = k > 0 && is_determiner(tokens[k - 1].lower) && w.ends_with("ed") &&
                              tokens[k + 1].begin - tokens[k].end <= 1 &&
                              a.term_of(tokens[k + 1].lower) == head;
      if (k > 0 && is_determiner(tokens[k - 1].lower) && !participle) continue;
      const auto classes = lexicon->classes(w);
      if (!classes.known() || classes.verb < 0.5F * classes.total()) continue;
      const std::string lemma = lexicon->verb_lemma(w);
      if (lemma.empty() || light_verb(lemma)) continue;
      std::size_t from = k + 1;
      if (tokens[from].begin - tokens[k].end > 1) continue;  // punctuation after the verb
      // "follow a research paper": the article stays ("Following a Research Paper", not
      // "Following Research Paper"); other determiners ("my", "the") are the speaker's.
      const bool article = tokens[from].lower == "a" || tokens[from].lower == "an";
      if (is_determiner(tokens[from].lower)) ++from;
      std::optional<std::size_t> end;
      for (std::size_t m = from; m < tokens.size() && m < from + 3; ++m) {
        if (tokens[m].begin - tokens[m - 1].end > 1) break;
        // The thing as a thing: "stop walking" does nothing to "Walks".
        if (a.term_of(tokens[m].lower) == head &&
            tokens[m].lower.ends_with("ing") == words.back().lower.ends_with("ing")) {
          end = m;
          break;
        }
        if (!rules.is_content(tokens[m].lower)) break;
      }
      if (!end) continue;
      const auto verb_term = a.term_of(w);
      const double score = verb_term ? said[*verb_term] * a.idf(*verb_term) : 0.0;
      if (best.empty() || score > best_score) {
        best = lexicon->gerund(lemma) + " " +
               (participle ? title
                           : phrase_text(text, tokens[article ? from - 1 : from], tokens[*end]));
        best_score = score;
      }
    }
  }
  if (best.empty() || best.size() > kMaxTitleBytes) return title;
  return rules.title_case(best);
}

}  // namespace

std::string key_phrase_title(const Passage& p) {
  return key_phrase_title(p, p.first, p.last);
}

std::string key_phrase_title(const Passage& p, std::size_t from, std::size_t to) {
  if (!valid(p)) return {};
  const std::size_t focus_to = std::min(p.last, p.first + 1);
  const std::string title = join_top(key_phrases(p, from, to, p.first, focus_to), p);
  if (title.empty()) return {};
  return p.analysis->rules().title_case(text::truncate_utf8(title, kMaxTitleBytes));
}

std::string extractive_title(const Passage& p) {
  if (!valid(p)) return {};
  const auto& rules = p.analysis->rules();
  std::string title = with_action(p, titled_topic(p));
  if (!title.empty()) return rules.title_case(title);
  // Nothing but stop words: the first words of the passage, so a title is never empty.
  title = as_bullet(rules, p.analysis->sentence(p.first).sentence.text, 8);
  if (title.empty()) title = "Untitled Moment";
  return rules.title_case(text::truncate_utf8(title, kMaxTitleBytes));
}

namespace {

// The title before the subject is added: from the question the passage answers, else from
// its key phrases; "" when the passage has no content words.
std::string titled_topic(const Passage& p) {
  const auto& a = *p.analysis;
  const auto& rules = a.rules();
  if (auto q = leading_question(p)) {
    const auto& turn = a.turns()[a.sentence(*q).turn];
    const std::size_t ask_from = std::max(turn.first, p.first);
    // The answer: the turns after the question's, or, when a speaker asks and answers
    // the question themself ("So what is the lesson of the box? I think…"), the rest of
    // their turn.
    std::size_t answer_from = std::min(turn.last, p.last) + 1;
    if (answer_from > p.last && *q < p.last) answer_from = *q + 1;
    // The answer's key phrases that may complete the question, best first: phrases the
    // answer dwells on (said three times) and compounds ("battery pack"); a word said
    // twice ("How Often to Open a Hive: Colony") adds nothing. The first one the question
    // does not name already is used.
    std::vector<KeyPhrase> answers;
    if (answer_from <= p.last) {
      const auto ranked = key_phrases(p, answer_from, p.last, answer_from, answer_from);
      for (const auto& ph : ranked) {
        if (ph.score < ranked.front().score * 0.4) break;
        int said = 0;
        for (std::size_t i = answer_from; i <= p.last; ++i)
          for (TermId t : a.sentence(i).terms) said += t == ph.terms.back() ? 1 : 0;
        // "A single bee can't survive alone": a count is not a topic; the word it counts
        // must qualify on its own.
        if (const auto words = tokenize(ph.text);
            words.size() >= 2 && is_quantifier(words[0].lower))
          continue;
        // The answer's best phrase may be a compound it names once ("Output per Hour");
        // further down, only what the answer comes back to. A single word must be the
        // answer's own, not the episode's ("Bee" in an episode about bees).
        const bool best = &ph == &ranked.front();
        const bool own = static_cast<double>(said) >= 0.5 * a.frequency(ph.terms.back());
        const bool ok = ph.terms.size() >= 2 ? (best || said >= 2) : (said >= 3 && (best || own));
        if (ph.noun && ok &&
            (ph.terms.size() >= 2 || !rules.is_vague_noun(a.surface(ph.terms.back()))))
          answers.push_back(ph);
      }
    }
    // "The cold, by far." "Meetings, almost always.": an answer that opens with a bare noun
    // phrase names the topic outright.
    const std::string direct =
        answer_from <= p.last ? opening_noun_phrase(a, a.sentence(answer_from).sentence.text, 3)
                              : std::string();
    auto with_answer = [&](std::string title, std::string_view sep) {
      if (!direct.empty() && count_content(rules, direct) >= 1 &&
          title.size() + sep.size() + direct.size() <= kMaxTitleBytes) {
        bool named = false;
        for (const auto& tok : tokenize(direct))
          if (rules.is_content(tok.lower) && names_word(title, tok.lower, a)) named = true;
        if (!named) return rules.title_case(title + std::string(sep) + direct);
      }
      for (const auto& answer : answers) {
        if (names(rules, title, answer, a)) continue;
        if (title.size() <= 48 && title.size() + sep.size() + answer.text.size() <= kMaxTitleBytes)
          title += std::string(sep) + answer.text;
        break;
      }
      return rules.title_case(text::truncate_utf8(title, kMaxTitleBytes));
    };
    // "What about X?" names the topic better than the question after it.
    for (std::size_t i = ask_from; i <= *q; ++i) {
      const std::string head = text::to_lower_ascii(
          rules.strip_leading_markers(rules.clean_disfluencies(a.sentence(i).sentence.text)));
      if (a.sentence(i).question &&
          (head.starts_with("what about ") || head.starts_with("how about "))) {
        std::string topic = head.substr(std::string_view("what about ").size());
        // "What about walks, because greyhounds, don't they just bolt?": the topic ends at
        // the first comma.
        topic = topic.substr(0, topic.find_first_of(",;"));
        while (!topic.empty() && (topic.back() == '?' || topic.back() == ',')) topic.pop_back();
        if (count_content(rules, topic) >= 1) return with_answer(topic, " and ");
      }
    }
    const std::string& question = a.sentence(*q).sentence.text;
    std::string title = rules.title_from_question(question);
    // A question that points back ("What did that look like?") leaves its topic to the
    // sentences the asker said before it.
    const bool has_setup = ask_from < *q;
    const std::size_t named = count_content(rules, title);
    const bool vague = named < 2 || (has_setup && named < 3 && rules.refers_back(question));
    if (!title.empty() && !vague) return with_answer(title, ": ");
    // An answer that names its topic outright ("Meetings, almost always.") says it best.
    if (vague && !direct.empty() && count_content(rules, direct) >= 1)
      return with_answer(direct, ": ");
    // "And the first week, how was that?": the topic is put in front of the question.
    if (vague)
      if (const std::string fronted = opening_noun_phrase(a, question, 4);
          !fronted.empty() && count_content(rules, fronted) >= 1)
        return with_answer(fronted, ": ");
    // A yes/no question that names its topic is a fine title as it stands.
    if (title.empty())
      if (std::string yes_no = rules.title_from_yes_no_question(question); !yes_no.empty())
        return yes_no;
    // Otherwise the asker's words name the topic: key phrases of the setup and the question,
    // weighted by how the whole passage (the answer too) uses them.
    std::string topic;
    if (has_setup) topic = join_top(key_phrases(p, ask_from, *q, ask_from, *q), p);
    // "Why Do You Do It: You're Not Paid for Any of This": a question that points back at
    // a setup naming no thing is about what the setup says.
    if (has_setup && !title.empty() && named == 0 && rules.refers_back(question)) {
      const auto setup_phrases = key_phrases(p, *q - 1, *q - 1, *q - 1, *q - 1);
      const bool names_thing = std::any_of(setup_phrases.begin(), setup_phrases.end(),
                                           [](const KeyPhrase& ph) { return ph.noun; });
      std::string setup = as_bullet(rules, a.sentence(*q - 1).sentence.text, 8);
      while (!setup.empty() && std::ispunct(static_cast<unsigned char>(setup.back())) != 0)
        setup.pop_back();
      if (!names_thing && count_content(rules, setup) >= 1 &&
          title.size() + 2 + setup.size() <= kMaxTitleBytes)
        return rules.title_case(title + ": " + setup);
    }
    if (topic.empty())
      topic = join_top(key_phrases(p, p.first, p.last, ask_from, std::min(answer_from, p.last)), p);
    if (!topic.empty())
      return with_activity(p, rules.title_case(text::truncate_utf8(topic, kMaxTitleBytes)));
  }
  std::string title = with_activity(p, key_phrase_title(p));
  // How the passage says to do something, before what it mentions on the way: "Running
  // Slowly", with the key phrases after a colon only when the passage repeats them.
  if (std::string manner = manner_title(p); !manner.empty()) {
    auto said = term_counts(p);
    bool repeated = false, overlap = false;
    for (const auto& tok : tokenize(title))
      if (const auto t = a.term_of(tok.lower)) {
        repeated = repeated || said[*t] >= 2;
        overlap = overlap || names_word(manner, tok.lower, a);
      }
    if (repeated && !overlap && manner.size() + 2 + title.size() <= kMaxTitleBytes)
      manner += ": " + title;
    title = rules.title_case(manner);
  }
  // "Next, coffee." "Now salt, which people always leave out.": a passage that opens by
  // announcing its topic is about that, whatever its details.
  if (const std::string announced = opening_noun_phrase(a, a.sentence(p.first).sentence.text, 4);
      !announced.empty() && count_content(rules, announced) >= 1) {
    // Only when the passage comes back to it: "My news." announces nothing it dwells on.
    auto said = term_counts(p);
    bool repeated = false;
    for (const auto& tok : tokenize(announced))
      if (const auto t = a.term_of(tok.lower); t && said[*t] >= 2) repeated = true;
    bool named = !repeated;
    for (const auto& tok : tokenize(announced))
      if (rules.is_content(tok.lower) && names_word(title, tok.lower, a)) named = true;
    if (!named && announced.size() + 2 + title.size() <= kMaxTitleBytes)
      return rules.title_case(announced + (title.empty() ? "" : ": " + title));
  }
  return title;
}

}  // namespace

PassageText extractive_text(const Passage& p, const WriteOptions& options) {
  PassageText out;
  out.engine = "extractive";
  if (!valid(p)) return out;
  const auto& a = *p.analysis;
  const auto& rules = a.rules();
  out.title = extractive_title(p);

  const std::size_t n = p.last - p.first + 1;
  const auto rank = informative_rank(p);
  // In an interview the answer holds the claims; the question only sets them up.
  std::size_t answer_from = 0;
  if (auto q = leading_question(p); q && a.sentence(*q).turn != a.sentence(p.last).turn)
    answer_from = a.turns()[a.sentence(*q).turn].last + 1 - p.first;
  std::vector<std::size_t> claims;
  for (std::size_t i = answer_from; i < n; ++i)
    if (is_claim(a.sentence(p.first + i))) claims.push_back(i);
  if (claims.empty())
    for (std::size_t i = 0; i < n; ++i)
      if (is_claim(a.sentence(p.first + i))) claims.push_back(i);
  if (claims.empty()) {  // short replies only: use the longest sentence
    std::size_t best = 0;
    for (std::size_t i = 1; i < n; ++i)
      if (a.sentence(p.first + i).word_count > a.sentence(p.first + best).word_count) best = i;
    claims.push_back(best);
  }

  // Summary: the most central claims, in spoken order, within the word budget.
  const Millis span = a.sentence(p.last).sentence.end_ms - a.sentence(p.first).sentence.start_ms;
  std::size_t want = span < 40000 ? 1 : span < 100000 ? 2 : 3;
  want = std::min(want, options.max_summary_sentences);
  std::vector<std::size_t> by_rank = claims;
  std::stable_sort(by_rank.begin(), by_rank.end(),
                   [&](std::size_t x, std::size_t y) { return rank[x] > rank[y]; });
  std::vector<std::size_t> summary;
  std::size_t words = 0;
  for (std::size_t i : by_rank) {
    if (summary.size() >= want) break;
    const std::size_t w = a.sentence(p.first + i).word_count;
    if (!summary.empty() && words + w > options.max_summary_words) continue;
    summary.push_back(i);
    words += w;
  }
  std::sort(summary.begin(), summary.end());
  for (std::size_t i : summary) {
    if (!out.summary.empty()) out.summary += ' ';
    out.summary += rules.strip_leading_markers(
        rules.clean_disfluencies(a.sentence(p.first + i).sentence.text));
  }

  // Takeaways: maximal marginal relevance over the claims. A card shows the summary above
  // the takeaways, so the summary's own sentences are left out when enough other claims
  // remain.
  const double top = rank[by_rank.front()] > 0 ? rank[by_rank.front()] : 1.0;
  std::size_t target =
      std::clamp<std::size_t>(claims.size() / 3, options.min_takeaways, options.max_takeaways);
  target = std::min(target, claims.size());
  std::vector<std::size_t> picked;
  std::vector<bool> used(n, false);
  if (claims.size() >= summary.size() + target)
    for (std::size_t i : summary) used[i] = true;
  while (picked.size() < target) {
    double best_score = -1e9;
    std::size_t best = n;
    for (std::size_t i : claims) {
      if (used[i]) continue;
      double redundancy = 0;
      for (std::size_t j : picked)
        redundancy = std::max<double>(
            redundancy, cosine(a.sentence(p.first + i).vector, a.sentence(p.first + j).vector));
      const double score =
          options.mmr_lambda * rank[i] / top - (1 - options.mmr_lambda) * redundancy;
      if (score > best_score) best_score = score, best = i;
    }
    if (best == n) break;
    used[best] = true;
    picked.push_back(best);
  }
  std::sort(picked.begin(), picked.end());
  for (std::size_t i : picked)
    out.takeaways.push_back(
        as_bullet(rules, a.sentence(p.first + i).sentence.text, options.max_takeaway_words));

  // Quote: central, self-contained, a comfortable length.
  double best_quote = -1e9;
  std::size_t quote = claims.front();
  for (std::size_t i : claims) {
    const auto& s = a.sentence(p.first + i);
    const std::string& t = s.sentence.text;
    double score = rank[i] / top;
    score -= 0.3 * rules.continuation_strength(t);
    if (s.word_count >= 10 && s.word_count <= 28) score += 0.3;
    if (s.word_count > 40) score -= 0.4;
    // Said already in the summary: another sentence as good adds more to the card.
    if (std::find(summary.begin(), summary.end(), i) != summary.end()) score -= 0.2;
    const std::string lower = text::to_lower_ascii(t);
    for (std::string_view marker :
         {"never", "always", "the best", "the most", "the key", "the secret", "the problem",
          "the point", "if you", "you have to", "isn't", "is not", "the real", "the only"})
      if (lower.find(marker) != std::string::npos) {
        score += 0.15;
        break;
      }
    if (score > best_quote) best_quote = score, quote = i;
  }
  const auto& qs = a.sentence(p.first + quote);
  out.quote = rules.clean_disfluencies(qs.sentence.text);
  out.quote_speaker = qs.sentence.speaker.empty() ? "" : a.speaker_name(qs.sentence.speaker);
  return out;
}

Result<PassageText> ExtractiveWriter::write(const Passage& passage) {
  if (!valid(passage)) return invalid_input("the passage is empty or outside the episode");
  return extractive_text(passage, options_);
}

PassageText write_with_fallback(PassageWriter* preferred, const Passage& passage,
                                const WriteOptions& options) {
  PassageText base = extractive_text(passage, options);
  if (preferred == nullptr) return base;
  auto got = preferred->write(passage);
  if (!got) {
    base.fallback_reason = got.error().message;
    return base;
  }
  PassageText out = std::move(*got);
  if (out.title.empty()) out.title = base.title;
  out.title = text::truncate_utf8(out.title, kMaxWriterTitleBytes);
  if (out.summary.empty()) out.summary = base.summary;
  if (out.takeaways.empty()) out.takeaways = base.takeaways;
  if (out.quote.empty()) {
    out.quote = base.quote;
    out.quote_speaker = base.quote_speaker;
  }
  if (out.engine.empty()) out.engine = "model";
  return out;
}

}  // namespace hark::insight
