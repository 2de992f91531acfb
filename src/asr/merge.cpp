#include "asr/merge.hpp"

#include <algorithm>
#include <cstddef>
#include <map>
#include <string>
#include <string_view>

#include "core/text.hpp"

namespace hark::asr {
namespace {

// Lower-case ASCII letters and digits, and every non-ASCII byte; punctuation dropped.
std::string normalise(std::string_view word) {
  std::string out;
  for (const char c : word) {
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x80 || (u >= '0' && u <= '9') || (u >= 'a' && u <= 'z')) {
      out.push_back(c);
    } else if (u >= 'A' && u <= 'Z') {
      out.push_back(static_cast<char>(u - 'A' + 'a'));
    }
  }
  return out;
}

struct Unit {
  Millis start_ms = 0;
  Millis end_ms = 0;
  std::string norm;
};

// The words of a segment as comparable units: its timed words, else its text's words at the
// segment's times.
std::vector<Unit> units_of(const Segment& s) {
  std::vector<Unit> out;
  if (!s.words.empty()) {
    for (const Word& w : s.words) out.push_back({w.start_ms, w.end_ms, normalise(w.text)});
  } else {
    for (const std::string& t : text::split(s.text, ' ')) {
      if (!t.empty()) out.push_back({s.start_ms, s.end_ms, normalise(t)});
    }
  }
  return out;
}

// Removes the first `n` words from a segment: from `words` when it has them, and the
// matching leading words of `text`.
void drop_leading(Segment& s, std::size_t n, const std::vector<Unit>& dropped) {
  std::vector<std::string> tokens = text::split(s.text, ' ');
  std::size_t t = 0;
  for (std::size_t i = 0; i < n && t < tokens.size(); ++i) {
    while (t < tokens.size() && normalise(tokens[t]).empty()) ++t;  // a lone "-" or "…"
    if (t < tokens.size() && normalise(tokens[t]) == dropped[i].norm) ++t;
  }
  std::string rest;
  for (std::size_t i = t; i < tokens.size(); ++i) {
    if (tokens[i].empty()) continue;
    if (!rest.empty()) rest += ' ';
    rest += tokens[i];
  }
  s.text = std::move(rest);
  if (!s.words.empty()) {
    s.words.erase(s.words.begin(), s.words.begin() + static_cast<std::ptrdiff_t>(n));
    if (!s.words.empty()) s.start_ms = s.words.front().start_ms;
  }
}

// Removes trailing words of `text` that match `dropped` (normalised), last first.
std::string drop_trailing(const std::string& text, const std::vector<std::string>& dropped) {
  std::vector<std::string> tokens = text::split(text, ' ');
  std::erase_if(tokens, [](const std::string& t) { return t.empty(); });
  for (auto it = dropped.rbegin(); it != dropped.rend(); ++it) {
    while (!tokens.empty() && normalise(tokens.back()).empty()) tokens.pop_back();
    if (!tokens.empty() && normalise(tokens.back()) == *it) tokens.pop_back();
  }
  std::string out;
  for (const std::string& t : tokens) out += (out.empty() ? "" : " ") + t;
  return out;
}

// Drops the leading words of `next` (a chunk starting at `offset`) that repeat the end of
// `merged`; see the header.
void dedupe_edge(const std::vector<Segment>& merged, std::vector<Segment>& next, Millis offset) {
  std::vector<Unit> tail;
  for (auto it = merged.rbegin(); it != merged.rend(); ++it) {
    if (it->end_ms <= offset - kEdgeWindowMs) break;
    const std::vector<Unit> u = units_of(*it);
    tail.insert(tail.begin(), u.begin(), u.end());
  }
  if (tail.empty()) return;

  struct Match {
    std::size_t segment;
    Unit unit;
    bool overlaps;
  };
  std::vector<Match> matches;
  std::size_t from = 0;
  bool done = false;
  for (std::size_t si = 0; si < next.size() && !done; ++si) {
    for (const Unit& u : units_of(next[si])) {
      if (u.start_ms >= offset + kEdgeWindowMs || u.norm.empty()) {
        done = true;
        break;
      }
      std::size_t k = from;
      while (k < tail.size() &&
             !(tail[k].norm == u.norm && u.start_ms <= tail[k].end_ms + kEdgeToleranceMs)) {
        ++k;
      }
      if (k == tail.size()) {
        done = true;
        break;
      }
      matches.push_back({si, u, u.start_ms < tail[k].end_ms});
      from = k + 1;
    }
  }
  if (matches.empty()) return;
  if (matches.size() == 1 && !matches.front().overlaps) return;

  for (std::size_t si = 0; si < next.size(); ++si) {
    std::vector<Unit> dropped;
    for (const Match& m : matches) {
      if (m.segment == si) dropped.push_back(m.unit);
    }
    if (!dropped.empty()) drop_leading(next[si], dropped.size(), dropped);
  }
  std::erase_if(next, [](const Segment& s) { return s.text.empty() && s.words.empty(); });
}

}  // namespace

bool is_no_speech(const WireSegment& segment) {
  return segment.no_speech_prob && segment.avg_logprob &&
         *segment.no_speech_prob > kNoSpeechThreshold && *segment.avg_logprob < kLogprobThreshold;
}

Transcript merge_chunks(const std::vector<ChunkResult>& chunks) {
  Transcript out;
  out.timed = true;
  std::map<std::string, int> votes;
  std::vector<std::string> vote_order;
  std::vector<std::string> all_languages;

  for (const ChunkResult& chunk : chunks) {
    const Millis duration = std::max<Millis>(chunk.duration_ms, 0);
    std::vector<Segment> segs;
    for (const WireSegment& ws : chunk.transcript.segments) {
      if (is_no_speech(ws)) continue;
      if (duration > 0 && ws.start_ms >= duration) continue;
      Segment s;
      s.start_ms = chunk.offset_ms + ws.start_ms;
      s.end_ms = chunk.offset_ms + std::max(ws.start_ms, ws.end_ms.value_or(duration));
      s.text = ws.text;
      std::vector<std::string> past_end;
      for (const Word& w : ws.words) {
        if (duration > 0 && w.start_ms >= duration) {
          past_end.push_back(normalise(w.text));
          continue;
        }
        Word shifted = w;
        shifted.start_ms += chunk.offset_ms;
        shifted.end_ms += chunk.offset_ms;
        s.words.push_back(std::move(shifted));
      }
      if (!ws.words.empty() && s.words.empty()) continue;  // every word was past the end
      if (!past_end.empty()) {
        s.text = drop_trailing(s.text, past_end);
        s.end_ms = std::max(s.words.back().end_ms, std::min(s.end_ms, chunk.offset_ms + duration));
      }
      segs.push_back(std::move(s));
    }
    dedupe_edge(out.segments, segs, chunk.offset_ms);

    const std::string& lang = chunk.transcript.language;
    if (!lang.empty()) {
      all_languages.push_back(lang);
      if (!segs.empty()) {
        if (votes[lang]++ == 0) vote_order.push_back(lang);
      }
    }
    for (Segment& s : segs) out.segments.push_back(std::move(s));
  }
  std::stable_sort(out.segments.begin(), out.segments.end(),
                   [](const Segment& a, const Segment& b) { return a.start_ms < b.start_ms; });

  if (vote_order.empty()) {
    for (const std::string& l : all_languages) {
      if (votes[l]++ == 0) vote_order.push_back(l);
    }
  }
  int best = 0;
  for (const std::string& l : vote_order) {
    if (votes[l] > best) {
      best = votes[l];
      out.language = l;
    }
  }
  return out;
}

}  // namespace hark::asr
