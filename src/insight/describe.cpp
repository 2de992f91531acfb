#include "insight/describe.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <unordered_map>

#include "core/text.hpp"

namespace hark::insight {
namespace {

bool valid(const Passage& p) {
  return p.analysis != nullptr && p.first <= p.last && p.last < p.analysis->size();
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
  if (turn_end < p.last) {
    for (std::size_t i = turn_end + 1; i-- > p.first;)
      if (a.sentence(i).question) return i;
  }
  for (std::size_t i = p.first; i <= std::min(p.last, p.first + 1); ++i)
    if (a.sentence(i).question) return i;
  return std::nullopt;
}

bool is_determiner(std::string_view w) {
  return w == "the" || w == "a" || w == "an" || w == "my" || w == "your" || w == "our" ||
         w == "their" || w == "his" || w == "her" || w == "this" || w == "these" ||
         w == "those" || w == "some" || w == "its";
}

struct Phrase {
  std::vector<TermId> terms;
  std::string text;  // as written
  double score = 0;
};

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

std::string as_bullet(const LanguageRules& rules, std::string_view sentence, std::size_t max_words) {
  std::string s = rules.strip_leading_markers(rules.clean_disfluencies(sentence));
  const auto tokens = tokenize(s);
  if (tokens.size() > max_words) {
    // Cut at the last clause boundary (, ; : —) after a third of the limit.
    std::size_t cut = std::string::npos;
    for (std::size_t i = max_words / 3; i < max_words && i < tokens.size(); ++i) {
      const std::size_t after = tokens[i].end;
      if (after < s.size() && (s[after] == ',' || s[after] == ';' || s[after] == ':'))
        cut = after;
    }
    if (cut == std::string::npos) cut = tokens[max_words - 1].end;
    s = s.substr(0, cut);
    while (!s.empty() && (s.back() == ',' || s.back() == ' ')) s.pop_back();
    s += "\xE2\x80\xA6";
  }
  return s;
}

std::string key_phrase_title(const Passage& p) { return key_phrase_title(p, p.first, p.last); }

std::string key_phrase_title(const Passage& p, std::size_t from, std::size_t to) {
  if (!valid(p)) return {};
  const auto& a = *p.analysis;
  const auto& rules = a.rules();
  // Term weight: frequency in the passage (damped) × rarity in the episode, raised for
  // words used as nouns ("the tent", "a sourdough starter") and for words of the opening
  // sentences, where speakers name what they are about to talk about.
  std::unordered_map<TermId, double> count;
  std::unordered_map<TermId, double> boost;
  for (std::size_t i = p.first; i <= p.last; ++i) {
    const auto tokens = tokenize(a.sentence(i).sentence.text);
    for (std::size_t k = 0; k < tokens.size(); ++k) {
      if (!rules.is_content(tokens[k].lower)) continue;
      const auto term = a.term_of(tokens[k].lower);
      if (!term) continue;
      count[*term] += 1;
      double b = i <= p.first + 1 ? 1.3 : 1.0;
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
  std::unordered_map<TermId, double> weight;
  for (const auto& [t, c] : count) weight[t] = std::sqrt(c) * a.idf(t) * boost[t];
  // Candidate phrases: runs of up to three content words inside a sentence, with nothing
  // but a space between them ("sleep, memory" is two runs).
  std::unordered_map<std::string, Phrase> phrases;  // by term key
  auto add_run = [&](std::string_view text, const std::vector<Token>& tokens, std::size_t b0,
                     std::size_t e0) {  // [b0, e0)
    for (std::size_t b = b0; b < e0; ++b)
      for (std::size_t e = b; e < e0 && e < b + 3; ++e) {
        Phrase ph;
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
        ph.text = phrase_text(text, tokens[b], tokens[e]);
        auto [it, inserted] = phrases.try_emplace(key, ph);
        if (!inserted) it->second.score += ph.score * 0.5;  // repeated phrases are topics
      }
  };
  for (std::size_t i = from; i <= to; ++i) {
    const auto& text = a.sentence(i).sentence.text;
    const auto tokens = tokenize(text);
    std::size_t run = 0;
    for (std::size_t k = 0; k < tokens.size(); ++k) {
      const bool content = rules.is_content(tokens[k].lower);
      const bool joined = k > run && tokens[k].begin - tokens[k - 1].end <= 1;
      if (!content) {
        add_run(text, tokens, run, k);
        run = k + 1;
      } else if (k > run && !joined) {
        add_run(text, tokens, run, k);
        run = k;
      }
    }
    add_run(text, tokens, run, tokens.size());
  }
  std::vector<Phrase> ranked;
  for (auto& [key, ph] : phrases) ranked.push_back(std::move(ph));
  std::sort(ranked.begin(), ranked.end(), [](const Phrase& x, const Phrase& y) {
    return x.score > y.score || (x.score == y.score && x.text < y.text);
  });
  if (ranked.empty()) return {};
  std::vector<const Phrase*> chosen{&ranked.front()};
  for (const auto& ph : ranked) {
    if (chosen.size() == 2) break;
    if (ph.score < ranked.front().score * 0.3) break;
    bool overlaps = false;
    for (const auto* c : chosen)
      for (TermId t : ph.terms)
        if (std::find(c->terms.begin(), c->terms.end(), t) != c->terms.end()) overlaps = true;
    if (!overlaps) chosen.push_back(&ph);
  }
  std::string title = chosen[0]->text;
  if (chosen.size() > 1) title += " and " + chosen[1]->text;
  return rules.title_case(text::truncate_utf8(title, kMaxTitleBytes));
}

std::string extractive_title(const Passage& p) {
  if (!valid(p)) return {};
  const auto& a = *p.analysis;
  const auto& rules = a.rules();
  if (auto q = leading_question(p)) {
    // "What about X?" names the topic better than the question after it.
    const auto& turn = a.turns()[a.sentence(*q).turn];
    for (std::size_t i = std::max(turn.first, p.first); i <= *q; ++i) {
      const std::string head = text::to_lower_ascii(
          rules.strip_leading_markers(rules.clean_disfluencies(a.sentence(i).sentence.text)));
      if (a.sentence(i).question && (head.starts_with("what about ") || head.starts_with("how about "))) {
        std::string topic = head.substr(std::string_view("what about ").size());
        while (!topic.empty() && (topic.back() == '?' || topic.back() == ',')) topic.pop_back();
        if (count_content(rules, topic) >= 1)
          return rules.title_case(text::truncate_utf8(topic, kMaxTitleBytes));
      }
    }
    std::string title = rules.title_from_question(a.sentence(*q).sentence.text);
    if (!title.empty() && count_content(rules, title) >= 2) return title;
    // A yes/no question still names the topic: take the key phrase from the question turn.
    title = key_phrase_title(p, std::max(turn.first, p.first), *q);
    if (!title.empty()) return title;
  }
  std::string title = key_phrase_title(p);
  if (!title.empty()) return title;
  // Nothing but stop words: the first words of the passage, so a title is never empty.
  title = as_bullet(rules, a.sentence(p.first).sentence.text, 8);
  if (title.empty()) title = "Untitled Moment";
  return rules.title_case(text::truncate_utf8(title, kMaxTitleBytes));
}

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
    out.summary += rules.strip_leading_markers(rules.clean_disfluencies(a.sentence(p.first + i).sentence.text));
  }

  // Takeaways: maximal marginal relevance over the claims.
  const double top = rank[by_rank.front()] > 0 ? rank[by_rank.front()] : 1.0;
  std::size_t target = std::clamp<std::size_t>(claims.size() / 3, options.min_takeaways,
                                               options.max_takeaways);
  target = std::min(target, claims.size());
  std::vector<std::size_t> picked;
  std::vector<bool> used(n, false);
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
    out.takeaways.push_back(as_bullet(rules, a.sentence(p.first + i).sentence.text,
                                      options.max_takeaway_words));

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
    const std::string lower = text::to_lower_ascii(t);
    for (std::string_view marker : {"never", "always", "the best", "the most", "the key",
                                    "the secret", "the problem", "the point", "if you",
                                    "you have to", "isn't", "is not", "the real", "the only"})
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
  if (!got) return base;
  PassageText out = std::move(*got);
  if (out.title.empty()) out.title = base.title;
  out.title = text::truncate_utf8(out.title, kMaxTitleBytes);
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
