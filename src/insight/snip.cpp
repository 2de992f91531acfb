#include "insight/snip.hpp"

#include <algorithm>

namespace hark::insight {
namespace {

Millis start_of(const EpisodeAnalysis& a, std::size_t i) {
  return a.sentence(i).sentence.start_ms;
}
Millis end_of(const EpisodeAnalysis& a, std::size_t i) {
  return a.sentence(i).sentence.end_ms;
}

// The speaker turn holding sentence i, widened over backchannels ("Right.", "Mm-hmm.") by
// someone else, which do not take the floor. A backchannel itself belongs to the turn it
// interrupts.
std::size_t thought_turn_of(const EpisodeAnalysis& a, std::size_t i) {
  std::size_t k = a.sentence(i).turn;
  if (a.turns()[k].backchannel && k > 0) --k;
  return k;
}

std::size_t turn_first(const EpisodeAnalysis& a, std::size_t i) {
  const auto& turns = a.turns();
  std::size_t k = thought_turn_of(a, i);
  while (k >= 2 && turns[k - 1].backchannel && turns[k - 2].speaker == turns[k].speaker) k -= 2;
  return turns[k].first;
}

std::size_t turn_last(const EpisodeAnalysis& a, std::size_t i) {
  const auto& turns = a.turns();
  std::size_t k = thought_turn_of(a, i);
  while (k + 2 < turns.size() && turns[k + 1].backchannel &&
         turns[k + 2].speaker == turns[k].speaker)
    k += 2;
  return turns[k].last;
}

bool shares_term(const AnalyzedSentence& x, const AnalyzedSentence& y) {
  for (TermId t : x.terms)
    if (std::find(y.terms.begin(), y.terms.end(), t) != y.terms.end()) return true;
  return false;
}

// The question that the turn starting at sentence `first` answers: the closing question of
// the previous turn (another speaker), with the sentence that sets it up when they belong
// together ("You've written about habits. What's the first one to build?").
std::optional<std::size_t> answered_question(const EpisodeAnalysis& a, std::size_t first) {
  if (first == 0) return std::nullopt;
  const std::size_t prev = first - 1;
  const auto& turn = a.turns()[a.sentence(prev).turn];
  if (turn.speaker == a.sentence(first).sentence.speaker) return std::nullopt;
  std::optional<std::size_t> q;
  for (std::size_t i = prev + 1; i-- > std::max(turn.first, prev > 0 ? prev - 1 : 0);)
    if (a.sentence(i).question) {
      q = i;
      break;
    }
  if (!q) return std::nullopt;
  std::size_t s = *q;
  // A short question turn is one piece ("Last question. You're not paid for this. Why do
  // you do it?").
  if (turn.last - turn.first < 3) return turn.first;
  while (s > turn.first && a.sentence(s - 1).question) --s;
  if (s > turn.first) {
    const auto& lead = a.sentence(s - 1);
    if (lead.terms.size() >= 2 && lead.word_count <= 30 && shares_term(lead, a.sentence(*q))) --s;
  }
  return s;
}

// A sentence that only takes the floor or reacts: "Thank you.", "Can I jump in there?"
bool trivial(const AnalyzedSentence& s) {
  return s.word_count <= 6 && s.terms.size() < 2;
}

// Does a speaker take the floor with sentence s? True at a turn start, and after a
// floor-taking exchange ("Can I jump in?" "Go ahead." "Those companies volunteered…") or an
// acknowledgement ("That's amazing." "Thank you. The big thing I learned…"): s is the first
// sentence that says something after another speaker's words.
bool fresh_start(const EpisodeAnalysis& a, std::size_t s) {
  if (trivial(a.sentence(s))) return false;
  const auto& speaker = a.sentence(s).sentence.speaker;
  std::size_t i = s;
  while (i > 0 && a.sentence(i - 1).sentence.speaker == speaker && trivial(a.sentence(i - 1))) --i;
  return i == 0 || a.sentence(i - 1).sentence.speaker != speaker;
}

struct Shift {
  std::size_t index = 0;
  double score = -1e9;
};

// The best place in [lo, e] for a thought to start, by lexical cohesion (a dip between
// blocks of sentences), discourse cues and length.
Shift best_shift(const EpisodeAnalysis& a, std::size_t lo, std::size_t e, std::size_t turn_start,
                 const SnipOptions& o) {
  const auto& rules = a.rules();
  // The thought at the tap is about the last item announced before it ("Now the oven."):
  // a start before that announcement would take in the items before.
  for (std::size_t s = e + 1; s-- > lo;)
    if (end_of(a, e) - start_of(a, s) >= o.min_ms &&
        rules.announces_item(a.sentence(s).sentence.text)) {
      lo = s;
      break;
    }
  Shift best{e, -1e9};
  for (std::size_t s = lo; s <= e; ++s) {
    const auto& sent = a.sentence(s);
    const Millis span = end_of(a, e) - start_of(a, s);
    // "Next, coffee.", "Now the oven.": a short announcement opens the thought about the
    // item. It says too little to dip cohesion before it, so the dip after it counts too.
    const bool announces = rules.announces_item(sent.sentence.text);
    float depth = a.depth(s);
    if (announces && s < e) depth = std::max(depth, a.depth(s + 1));
    double score = 0.8 * std::min(1.0F, depth / a.depth_scale());
    if (s == 0) score += 0.3;
    // A reply that takes the floor after "Can I jump in?" "Go ahead." starts the thought as
    // surely as a turn does, and may point back at what was said ("Those companies…").
    const bool fresh = s != turn_start && fresh_start(a, s);
    if (s == turn_start || fresh) score += 0.4;
    if (rules.starts_new_topic(sent.sentence.text)) {
      score += 0.6;
    } else if (announces) {
      // Strong when near the tap (the item the listener just heard); weaker the further
      // back it lies, since later steps may follow unannounced ("Then the dough has to
      // rise, …").
      const double far =
          std::clamp(static_cast<double>(span - o.aim_min_ms) /
                         static_cast<double>(std::max<Millis>(1, o.aim_max_ms - o.aim_min_ms)),
                     0.0, 1.0);
      score += 0.6 * (1.0 - far);
    }
    const int continuation = rules.continuation_strength(sent.sentence.text);
    if (!fresh || continuation > 1) score -= 0.35 * continuation;
    if (sent.question) {
      // A question the speaker answers herself opens a thought as surely as a cue does.
      const bool own = s + 1 < a.size() &&
                       a.sentence(s + 1).sentence.speaker == sent.sentence.speaker && s > 0 &&
                       a.sentence(s - 1).sentence.speaker == sent.sentence.speaker;
      score += own ? 0.5 : 0.25;
    }
    if (trivial(sent) && !announces) score -= 0.3;
    if (span < o.min_ms) {
      score -= 1.0;
    } else if (span < o.aim_min_ms) {
      score -= 0.5 * static_cast<double>(o.aim_min_ms - span) / static_cast<double>(o.aim_min_ms);
    } else if (span <= o.aim_max_ms) {
      // The thought at the tap, not the one before it: nearer starts win among equals.
      score -= 0.4 * static_cast<double>(span - o.aim_min_ms) /
               static_cast<double>(std::max<Millis>(1, o.aim_max_ms - o.aim_min_ms));
    } else {
      score -= 0.4 + 0.6 * static_cast<double>(span - o.aim_max_ms) /
                         static_cast<double>(std::max<Millis>(1, o.max_ms - o.aim_max_ms));
    }
    if (score > best.score) best = {s, score};
  }
  return best;
}

// The first sentence index s ≤ e with end(e) - start(s) ≤ limit.
std::size_t first_within(const EpisodeAnalysis& a, std::size_t e, Millis limit) {
  std::size_t s = e;
  while (s > 0 && end_of(a, e) - start_of(a, s - 1) <= limit) --s;
  return s;
}

}  // namespace

Result<SnipBounds> snip_bounds(const EpisodeAnalysis& a, Millis tap, const SnipOptions& o) {
  if (!a.timed())
    return invalid_input(
        "this transcript has no timings, so the moment at the tap cannot be found; snips need a "
        "timed transcript (captions or speech-to-text)");
  const std::size_t n = a.size();
  std::size_t e = a.sentence_at(tap).value_or(0);
  const bool after_end = tap > end_of(a, n - 1);

  // A tap in the first seconds of a new question means the answer before it was the moment.
  const auto& tapped_turn = a.turns()[a.sentence(e).turn];
  if (!after_end && tapped_turn.first > 0 && e <= tapped_turn.first + 1 &&
      tap - start_of(a, tapped_turn.first) < o.question_tap_grace_ms) {
    bool question = false;
    for (std::size_t i = tapped_turn.first; i <= tapped_turn.last; ++i)
      question = question || a.sentence(i).question;
    if (question) e = tapped_turn.first - 1;
  }

  // End: the sentence in progress, or the turn when it ends within the grace period.
  const std::size_t last = turn_last(a, e);
  if (last > e && end_of(a, last) - tap <= o.turn_end_grace_ms) e = last;

  auto span = [&](std::size_t s) { return end_of(a, e) - start_of(a, s); };
  const std::size_t tf = turn_first(a, e);
  SnipBounds b;
  std::size_t s = tf;
  constexpr double kClearShift = 0.9;
  const auto q = answered_question(a, tf);
  if (q && span(*q) <= o.long_answer_ms) {
    s = *q;
    b.reason = "question";
  } else if (q && span(*q) <= o.max_ms) {
    // A long answer: start at the question unless the answer clearly moved on.
    const Shift shift = best_shift(a, tf, e, tf, o);
    s = shift.score >= kClearShift && shift.index > tf ? shift.index : *q;
    b.reason = s == *q ? "question" : "topic-shift";
  } else {
    const std::size_t lo = std::max(tf, first_within(a, e, o.max_ms));
    s = best_shift(a, lo, e, tf, o).index;
    b.reason = s == tf ? "turn" : "topic-shift";
  }
  if (b.reason != "question") {
    // Do not open on "Thank you." or "Can I jump in?".
    while (s < e && trivial(a.sentence(s)) &&
           !a.rules().announces_item(a.sentence(s).sentence.text) && span(s + 1) >= o.min_ms)
      ++s;
    // Only "Thank you."-like sentences before s in the turn; a speaker who asked for the
    // floor ("Can I come in on that?") is starting a thought of their own.
    bool opens_turn = true;
    for (std::size_t i = tf; i < s && opens_turn; ++i)
      opens_turn = trivial(a.sentence(i)) && !a.sentence(i).question;
    // A short reply in a conversation (a second panellist's "I'd say something similar. …"):
    // take in the question it is part of.
    if (span(s) < o.aim_min_ms && opens_turn && s >= tf && tf > 0) {
      const auto q2 = answered_question(a, turn_first(a, tf - 1));
      if (q2 && span(*q2) <= o.aim_max_ms) {
        s = *q2;
        b.reason = "question+before";
      }
    }
  }

  // Too short: take in the turn before (and the question it answers), else run on.
  while (span(s) < o.min_ms) {
    if (s > 0) {
      const std::size_t ptf = turn_first(a, s - 1);
      const auto pq = answered_question(a, ptf);
      const std::size_t ns = pq && span(*pq) <= o.aim_max_ms ? *pq : ptf;
      if (span(ns) <= o.aim_max_ms) {
        s = ns;
        b.reason += "+before";
        continue;
      }
      if (span(s - 1) <= o.max_ms) {
        --s;
        b.reason += "+before";
        continue;
      }
    }
    if (e + 1 < n) {
      ++e;
      b.reason += "+after";
      continue;
    }
    break;
  }
  if (span(s) > o.max_ms) {
    s = best_shift(a, first_within(a, e, o.max_ms), e, tf, o).index;
    b.reason = "topic-shift";
  }
  b.first = s;
  b.last = e;
  b.start_ms = start_of(a, s);
  b.end_ms = end_of(a, e);
  b.moment = std::clamp(a.sentence_at(tap).value_or(e), s, e);
  return b;
}

Result<SnipBounds> range_bounds(const EpisodeAnalysis& a, Millis from_ms, Millis to_ms,
                                const SnipOptions& o) {
  if (!a.timed())
    return invalid_input("this transcript has no timings, so a time range cannot be found in it");
  if (to_ms <= from_ms) return invalid_input("the selection must end after it starts");
  const auto first = a.sentence_from(from_ms);
  if (!first) return invalid_input("the selection starts after the end of the transcript");
  std::size_t last = a.sentence_at(to_ms - 1).value_or(*first);
  if (last < *first) last = *first;
  SnipBounds b{*first, last, start_of(a, *first), end_of(a, last), "selection", std::nullopt};
  if (b.end_ms - b.start_ms > o.max_selection_ms)
    return invalid_input("the selection is longer than " +
                         std::to_string(o.max_selection_ms / 60000) +
                         " minutes; select a shorter passage");
  return b;
}

SnipDraft draft_for(const EpisodeAnalysis& a, const SnipBounds& b, const WriteOptions& options,
                    PassageWriter* writer) {
  const Passage passage{&a, b.first, b.last, b.moment};
  PassageText text = write_with_fallback(writer, passage, options);
  SnipDraft d;
  d.start_ms = b.start_ms;
  d.end_ms = b.end_ms;
  d.title = std::move(text.title);
  d.summary = std::move(text.summary);
  d.takeaways = std::move(text.takeaways);
  d.quote = std::move(text.quote);
  d.quote_speaker = std::move(text.quote_speaker);
  d.engine = std::move(text.engine);
  d.fallback_reason = std::move(text.fallback_reason);
  for (std::size_t i = b.first; i <= b.last; ++i) {
    const auto& id = a.sentence(i).sentence.speaker;
    if (id.empty()) continue;
    std::string name = a.speaker_name(id);
    if (std::find(d.speakers.begin(), d.speakers.end(), name) == d.speakers.end())
      d.speakers.push_back(std::move(name));
  }
  return d;
}

Result<SnipDraft> make_snip(const EpisodeAnalysis& a, Millis tap, const SnipOptions& o,
                            PassageWriter* writer) {
  auto b = snip_bounds(a, tap, o);
  if (!b) return b.error();
  return draft_for(a, *b, o.write, writer);
}

Result<SnipDraft> make_snip_range(const EpisodeAnalysis& a, Millis from_ms, Millis to_ms,
                                  const SnipOptions& o, PassageWriter* writer) {
  auto b = range_bounds(a, from_ms, to_ms, o);
  if (!b) return b.error();
  return draft_for(a, *b, o.write, writer);
}

namespace {

Result<EpisodeAnalysis> analyse_for_snip(const Transcript& t) {
  if (t.segments.empty())
    return not_found(
        "this episode has no transcript yet; the snip can be made once its transcript is ready");
  if (!t.timed)
    return invalid_input(
        "this transcript has no timings, so the moment at the tap cannot be found; snips need a "
        "timed transcript (captions or speech-to-text)");
  return EpisodeAnalysis::build(t);
}

}  // namespace

Result<SnipDraft> make_snip(const Transcript& t, Millis tap, const SnipOptions& o) {
  auto a = analyse_for_snip(t);
  if (!a) return a.error();
  return make_snip(*a, tap, o);
}

Result<SnipDraft> make_snip_range(const Transcript& t, Millis from_ms, Millis to_ms,
                                  const SnipOptions& o) {
  auto a = analyse_for_snip(t);
  if (!a) return a.error();
  return make_snip_range(*a, from_ms, to_ms, o);
}

}  // namespace hark::insight
