#include "insight/episode.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include "core/text.hpp"
#include "insight/snip.hpp"

namespace hark::insight {
namespace {

Millis start_of(const EpisodeAnalysis& a, std::size_t i) {
  return a.sentence(i).sentence.start_ms;
}
Millis end_of(const EpisodeAnalysis& a, std::size_t i) {
  return a.sentence(i).sentence.end_ms;
}

bool is_claim(const AnalyzedSentence& s) {
  return !s.question && s.word_count >= 8 && s.word_count <= 45 && s.terms.size() >= 3;
}

// Framing rather than content: a sentence whose words are mostly the speakers' names ("This
// is Lantern Hour, and I'm Theo Marsh.", "Thanks, Helen."). An introduction that says who a
// guest is ("My guest today is Dr. Helen Whitcombe, an epidemiologist who …") says more.
bool names_the_show(const EpisodeAnalysis& a, std::size_t i) {
  const auto& terms = a.sentence(i).terms;
  if (terms.empty()) return false;
  std::size_t names = 0;
  for (TermId t : terms) names += a.speaker_name_term(t) ? 1 : 0;
  return 2 * names >= terms.size();
}

// "My guest today is Dr. Helen Whitcombe, an epidemiologist who…": the host introducing
// someone. Fine in an abstract (who is talking), never a takeaway (nothing to take away).
bool introduces_someone(const EpisodeAnalysis& a, std::size_t i) {
  const std::string lower = text::to_lower_ascii(a.sentence(i).sentence.text);
  for (std::string_view cue :
       {"my guest", "our guest", "i'm talking with", "i'm talking to", "i'm joined by",
        "joining me", "welcome to the show", "welcome back to", "with me today", "with me is"})
    if (lower.find(cue) != std::string::npos) return true;
  return false;
}

// "Thank you, Theo. And yes, I have opinions about the chocolate headlines.": a short turn
// that opens by thanking the host answers a welcome; its remarks are small talk.
bool answers_a_welcome(const EpisodeAnalysis& a, std::size_t i) {
  const auto& turn = a.turns()[a.sentence(i).turn];
  if (turn.last - turn.first > 1) return false;
  const std::string lower = text::to_lower_ascii(text::trim(a.sentence(turn.first).sentence.text));
  return lower.starts_with("thank you") || lower.starts_with("thanks");
}

// "Let's say I find a paper…", "Say a headline claims…", "Imagine you…": a sentence that sets
// up an example states nothing to take away.
bool sets_up_example(const EpisodeAnalysis& a, std::size_t i) {
  const std::string lower = text::to_lower_ascii(text::trim(a.sentence(i).sentence.text));
  for (std::string_view cue : {"let's say ", "say ", "imagine ", "suppose ", "picture this",
                               "let's talk about ", "let's start with "})
    if (lower.starts_with(cue)) return true;
  return false;
}

// "That's where the authors tell the story…", "After that, read the methods…": a sentence
// whose subject or step is the one before it says nothing as a bullet on its own.
bool points_to_previous(const EpisodeAnalysis& a, std::size_t i) {
  const std::string lower = text::to_lower_ascii(
      a.rules().strip_leading_markers(text::trim(a.sentence(i).sentence.text)));
  for (std::string_view head :
       {"after that", "before that", "besides that", "which ", "because ", "otherwise"})
    if (lower.starts_with(head)) return true;
  for (std::string_view head : {"that's ", "that is ", "this is ", "which is ", "and that's "})
    if (lower.starts_with(head))
      for (std::string_view wh : {"where ", "why ", "how ", "what ", "when "})
        if (lower.compare(head.size(), wh.size(), wh) == 0) return true;
  return false;
}

// Does turn k open with (or consist of) a question: an interviewer moving on?
bool question_turn(const EpisodeAnalysis& a, const SentenceTurn& t) {
  for (std::size_t i = t.first; i <= std::min(t.last, t.first + 2); ++i)
    if (a.sentence(i).question) return true;
  return false;
}

// Who asks most of the questions: the host of an interview or panel ("" when nobody does).
std::string questioner(const EpisodeAnalysis& a) {
  std::map<std::string, int> asked;
  int total = 0;
  for (const auto& s : a.sentences())
    if (s.question) ++asked[s.sentence.speaker], ++total;
  std::string best;
  int most = 0;
  for (const auto& [speaker, n] : asked)
    if (n > most) best = speaker, most = n;
  return 2 * most >= total && most >= 3 ? best : std::string();
}

// How good a chapter start each sentence is: the depth of the cohesion dip before it
// (against the episode's clearest dips), discourse cues ("Let's talk about…", "Moving on"),
// and the host taking the floor with a question.
std::vector<double> gap_scores(const EpisodeAnalysis& a) {
  const auto& rules = a.rules();
  const std::string host = questioner(a);
  std::vector<double> score(a.size(), 0.0);
  for (std::size_t g = 1; g < a.size(); ++g) {
    const auto& s = a.sentence(g);
    // An announcement ("Now the oven.") says too little to dip cohesion before it; the dip
    // after it counts too.
    const bool announces = rules.announces_item(s.sentence.text);
    float depth = a.depth(g);
    if (announces && g + 1 < a.size()) depth = std::max(depth, a.depth(g + 1));
    double v = std::min(1.5, static_cast<double>(depth / a.depth_scale()));
    if (announces || rules.starts_new_topic(s.sentence.text)) v += 0.6;
    const auto& turn = a.turns()[s.turn];
    if (turn.first == g && !turn.backchannel && question_turn(a, turn))
      v += !host.empty() && turn.speaker == host ? 0.5 : 0.2;
    v -= 0.3 * rules.continuation_strength(s.sentence.text);
    score[g] = v;
  }
  return score;
}

}  // namespace

std::vector<std::size_t> chapter_starts(const EpisodeAnalysis& a, const ChapterOptions& o) {
  std::vector<std::size_t> starts{0};
  const std::size_t n = a.size();
  if (n < 3 || !a.timed()) return starts;
  const auto score = gap_scores(a);
  double mean = 0, sq = 0;
  for (std::size_t g = 1; g < n; ++g) mean += score[g];
  mean /= static_cast<double>(n - 1);
  for (std::size_t g = 1; g < n; ++g) sq += (score[g] - mean) * (score[g] - mean);
  const double sd = std::sqrt(sq / static_cast<double>(n - 1));
  const double threshold = mean + o.cutoff * sd;
  std::vector<std::size_t> order;
  for (std::size_t g = 1; g < n; ++g)
    if (score[g] > threshold) order.push_back(g);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t x, std::size_t y) { return score[x] > score[y]; });
  const Millis begin = start_of(a, 0), end = end_of(a, n - 1);
  // Two minutes suits a 30–120 minute episode; a short one gets shorter chapters.
  const Millis min_len = std::max<Millis>(1, std::min(o.min_ms, (end - begin) / o.min_parts));
  for (std::size_t g : order) {
    const Millis t = start_of(a, g);
    if (t - begin < min_len || end - t < min_len) continue;
    bool clear = true;
    for (std::size_t s : starts)
      if (std::llabs(start_of(a, s) - t) < min_len) clear = false;
    if (clear) starts.push_back(g);
  }
  std::sort(starts.begin(), starts.end());
  return starts;
}

Result<std::vector<Chapter>> generated_chapters(const EpisodeAnalysis& a, const ChapterOptions& o,
                                                PassageWriter* writer) {
  if (!a.timed())
    return invalid_input("this transcript has no timings, so chapters cannot be placed in time");
  const auto starts = chapter_starts(a, o);
  std::vector<Chapter> out;
  for (std::size_t c = 0; c < starts.size(); ++c) {
    const std::size_t first = starts[c];
    const std::size_t last = c + 1 < starts.size() ? starts[c + 1] - 1 : a.size() - 1;
    Chapter ch;
    ch.start_ms = c == 0 ? 0 : start_of(a, first);
    ch.end_ms = c + 1 < starts.size() ? start_of(a, starts[c + 1])
                                      : std::max(a.duration_ms(), end_of(a, last));
    const Passage passage{&a, first, last, std::nullopt};
    ch.title =
        writer != nullptr ? write_with_fallback(writer, passage).title : extractive_title(passage);
    ch.source = "generated";
    out.push_back(std::move(ch));
  }
  return out;
}

Result<std::vector<Highlight>> highlights(const EpisodeAnalysis& a,
                                          const std::vector<Soundbite>& soundbites,
                                          const HighlightOptions& o, PassageWriter* writer) {
  if (!a.timed())
    return invalid_input("this transcript has no timings, so highlights cannot be placed in time");
  SnipOptions so;
  so.min_ms = o.min_ms;
  so.aim_min_ms = std::min<Millis>(30000, o.max_ms);
  so.aim_max_ms = o.max_ms;
  so.max_ms = o.max_ms;
  so.turn_end_grace_ms = 0;

  struct Candidate {
    SnipBounds bounds;
    double score = 0;
  };
  std::vector<Candidate> candidates;
  auto add = [&](const SnipBounds& b) {
    for (const auto& c : candidates)
      if (c.bounds.first == b.first && c.bounds.last == b.last) return;
    candidates.push_back({b, 0});
  };
  // Anchors: the end of every turn, and every ~40 s inside long turns.
  for (const auto& turn : a.turns()) {
    if (turn.backchannel) continue;
    Millis last_anchor = start_of(a, turn.first);
    for (std::size_t i = turn.first; i <= turn.last; ++i) {
      if (i != turn.last && end_of(a, i) - last_anchor < 40000) continue;
      last_anchor = end_of(a, i);
      if (auto b = snip_bounds(a, end_of(a, i) - 1, so)) {
        const Millis len = b->end_ms - b->start_ms;
        if (len >= o.min_ms && len <= o.max_ms) add(*b);
      }
    }
  }
  for (const auto& sb : soundbites)
    if (auto b =
            range_bounds(a, sb.start_ms, sb.start_ms + std::max<Millis>(sb.duration_ms, 1), so))
      add(*b);
  if (candidates.empty()) return std::vector<Highlight>{};

  // Scores.
  double best_centrality = 1e-9;
  std::vector<double> centrality(candidates.size());
  for (std::size_t c = 0; c < candidates.size(); ++c) {
    const auto& b = candidates[c].bounds;
    double sum = 0, words = 0;
    for (std::size_t i = b.first; i <= b.last; ++i) {
      const auto w = static_cast<double>(a.sentence(i).word_count);
      sum += a.centrality(i) * w;
      words += w;
    }
    centrality[c] = words > 0 ? sum / words : 0;
    best_centrality = std::max(best_centrality, centrality[c]);
  }
  for (std::size_t c = 0; c < candidates.size(); ++c) {
    auto& cand = candidates[c];
    const auto& b = cand.bounds;
    double s = centrality[c] / best_centrality;
    if (b.reason.rfind("question", 0) == 0) s += 0.2;
    const Millis len = b.end_ms - b.start_ms;
    if (len >= 30000 && len <= o.max_ms) s += 0.1;
    for (const auto& sb : soundbites) {
      const Millis overlap =
          std::min(b.end_ms, sb.start_ms + sb.duration_ms) - std::max(b.start_ms, sb.start_ms);
      if (overlap > 0)
        s += 0.5 * static_cast<double>(overlap) / static_cast<double>(std::max<Millis>(1, len));
    }
    int taps = 0;
    for (Millis t : o.snip_taps)
      if (t >= b.start_ms && t <= b.end_ms + 10000) ++taps;
    s += std::min(0.4, 0.1 * taps);
    cand.score = s;
  }

  // Greedy choice, non-overlapping, spread over the episode by time bins.
  const Millis begin = start_of(a, 0), end = end_of(a, a.size() - 1);
  const auto want = std::clamp<std::size_t>(
      static_cast<std::size_t>((end - begin) / std::max<Millis>(1, o.per_duration_ms)), o.min_count,
      o.max_count);
  std::vector<int> per_bin(want, 0);
  auto bin_of = [&](const SnipBounds& b) {
    const Millis mid = (b.start_ms + b.end_ms) / 2 - begin;
    return std::min<std::size_t>(want - 1,
                                 static_cast<std::size_t>(mid * static_cast<Millis>(want) /
                                                          std::max<Millis>(1, end - begin)));
  };
  std::vector<const Candidate*> chosen;
  std::vector<bool> taken(candidates.size(), false);
  while (chosen.size() < want) {
    double best = -1e9;
    std::size_t pick = candidates.size();
    for (std::size_t c = 0; c < candidates.size(); ++c) {
      if (taken[c]) continue;
      const auto& b = candidates[c].bounds;
      bool overlaps = false;
      for (const auto* ch : chosen)
        if (b.first <= ch->bounds.last && ch->bounds.first <= b.last) overlaps = true;
      if (overlaps) {
        taken[c] = true;
        continue;
      }
      const double s = candidates[c].score * std::pow(0.6, per_bin[bin_of(b)]);
      if (s > best) best = s, pick = c;
    }
    if (pick == candidates.size()) break;
    taken[pick] = true;
    ++per_bin[bin_of(candidates[pick].bounds)];
    chosen.push_back(&candidates[pick]);
  }
  std::sort(chosen.begin(), chosen.end(), [](const Candidate* x, const Candidate* y) {
    return x->bounds.start_ms < y->bounds.start_ms;
  });
  std::vector<Highlight> out;
  for (const auto* c : chosen) {
    const Passage passage{&a, c->bounds.first, c->bounds.last, std::nullopt};
    PassageText text = write_with_fallback(writer, passage);
    out.push_back({c->bounds.start_ms, c->bounds.end_ms, std::move(text.title),
                   std::move(text.summary), c->score, std::move(text.engine)});
  }
  return out;
}

EpisodeSummary episode_summary(const EpisodeAnalysis& a, const EpisodeSummaryOptions& o) {
  EpisodeSummary out;
  const std::size_t n = a.size();
  const auto& rules = a.rules();
  std::vector<std::size_t> starts = a.timed() ? chapter_starts(a) : std::vector<std::size_t>{0};
  // Score each claim by its centrality in the episode and in its part.
  std::vector<double> score(n, -1.0);
  std::vector<std::size_t> part_of(n, 0);
  for (std::size_t c = 0; c < starts.size(); ++c) {
    const std::size_t first = starts[c];
    const std::size_t last = c + 1 < starts.size() ? starts[c + 1] - 1 : n - 1;
    TermVector centroid;
    for (std::size_t i = first; i <= last; ++i) accumulate(centroid, a.sentence(i).vector);
    normalize(centroid);
    for (std::size_t i = first; i <= last; ++i) {
      part_of[i] = c;
      if (!is_claim(a.sentence(i)) || names_the_show(a, i)) continue;
      // A sentence that leans on the one before it ("After that, read the methods") reads
      // as a non sequitur in an abstract of picked sentences.
      score[i] = 0.5 * a.centrality(i) + 0.5 * cosine(a.sentence(i).vector, centroid) -
                 0.15 * rules.continuation_strength(a.sentence(i).sentence.text);
    }
  }
  std::vector<std::size_t> claims;
  for (std::size_t i = 0; i < n; ++i)
    if (score[i] >= 0) claims.push_back(i);
  if (claims.empty()) {
    for (std::size_t i = 0; i < n; ++i)
      if (!a.sentence(i).question) claims.push_back(i);
    if (claims.empty()) claims.push_back(0);
    for (std::size_t i : claims) score[i] = a.centrality(i);
  }
  // Maximal marginal relevance, with a bonus for parts not yet covered.
  // `seen`: sentences already shown (in the abstract), picked again only when clearly best.
  std::vector<bool> seen(n, false);
  auto pick = [&](std::size_t count, std::size_t word_budget, std::vector<bool>& used) {
    std::vector<std::size_t> picked;
    std::vector<int> covered(starts.size(), 0);
    std::size_t words = 0;
    while (picked.size() < count) {
      double best = -1e9;
      std::size_t choice = n;
      for (std::size_t i : claims) {
        if (used[i]) continue;
        double redundancy = 0;
        for (std::size_t j : picked)
          redundancy =
              std::max<double>(redundancy, cosine(a.sentence(i).vector, a.sentence(j).vector));
        const double s =
            0.7 * score[i] - 0.3 * redundancy - 0.1 * covered[part_of[i]] - (seen[i] ? 0.1 : 0.0);
        if (s > best) best = s, choice = i;
      }
      if (choice == n) break;
      if (!picked.empty() && words + a.sentence(choice).word_count > word_budget) break;
      used[choice] = true;
      picked.push_back(choice);
      ++covered[part_of[choice]];
      words += a.sentence(choice).word_count;
    }
    std::sort(picked.begin(), picked.end());
    return picked;
  };
  std::vector<bool> used(n, false);
  const auto abstract = pick(12, o.abstract_words + o.abstract_words / 5, used);
  for (std::size_t i : abstract) {
    if (!out.abstract.empty()) out.abstract += ' ';
    out.abstract +=
        rules.strip_leading_markers(rules.clean_disfluencies(a.sentence(i).sentence.text));
  }
  const std::size_t count =
      std::clamp<std::size_t>(starts.size() + 1, o.min_takeaways, o.max_takeaways);
  // Takeaways add to the abstract rather than repeat it (the page shows both, one above the
  // other): with enough other claims an abstract sentence is not one; with too few, one comes
  // back only when it is clearly more central than the rest (`seen`).
  for (std::size_t i : abstract) seen[i] = true;
  std::vector<bool> used_for_takeaways(n, false);
  for (std::size_t i = 0; i < n; ++i)
    if (introduces_someone(a, i) || sets_up_example(a, i) || answers_a_welcome(a, i))
      used_for_takeaways[i] = true;
  // Nor, with enough other claims, a sentence that only points back ("That's where…").
  std::vector<bool> avoid = seen;
  for (std::size_t i = 0; i < n; ++i)
    if (points_to_previous(a, i)) avoid[i] = true;
  const auto others = std::count_if(claims.begin(), claims.end(), [&](std::size_t i) {
    return !avoid[i] && !used_for_takeaways[i];
  });
  if (static_cast<std::size_t>(others) >= count)
    for (std::size_t i = 0; i < n; ++i)
      if (avoid[i]) used_for_takeaways[i] = true;
  const auto picked = pick(count, 100000, used_for_takeaways);
  for (std::size_t i : picked)
    out.takeaways.push_back(as_bullet(rules, a.sentence(i).sentence.text, 28));
  return out;
}

}  // namespace hark::insight
