#include "core/transcript.hpp"

#include <algorithm>

namespace hark {
namespace {

bool overlaps(Millis start, Millis end, Millis from, Millis to) {
  return start < to && end > from;
}

void append_word(std::string& out, std::string_view word) {
  if (word.empty()) return;
  if (!out.empty()) out.push_back(' ');
  out.append(word);
}

}  // namespace

std::optional<std::size_t> segment_at(const Transcript& t, Millis ms) {
  if (!t.timed) return std::nullopt;
  const auto& segs = t.segments;
  // First segment that starts after ms; everything before it is a candidate.
  const auto after = std::upper_bound(segs.begin(), segs.end(), ms,
                                      [](Millis v, const Segment& s) { return v < s.start_ms; });
  auto i = static_cast<std::size_t>(after - segs.begin());
  for (std::size_t looked = 0; i > 0 && looked < kMaxOverlapLookBack; ++looked) {
    --i;
    if (ms < segs[i].end_ms) return i;
  }
  return std::nullopt;
}

std::string text_between(const Transcript& t, Millis from_ms, Millis to_ms) {
  std::string out;
  if (!t.timed || to_ms <= from_ms) return out;
  // Segments are sorted by start, so nothing at or after the first start >= to_ms can
  // overlap; earlier ones may (overlapping cues), so they are checked one by one.
  for (const auto& seg : t.segments) {
    if (seg.start_ms >= to_ms) break;
    if (!overlaps(seg.start_ms, seg.end_ms, from_ms, to_ms)) continue;
    if (seg.words.empty()) {
      append_word(out, seg.text);
      continue;
    }
    for (const auto& w : seg.words)
      if (overlaps(w.start_ms, std::max(w.end_ms, w.start_ms + 1), from_ms, to_ms))
        append_word(out, w.text);
  }
  return out;
}

std::vector<SpeakerTurn> speaker_turns(const Transcript& t) {
  std::vector<SpeakerTurn> turns;
  for (std::size_t i = 0; i < t.segments.size(); ++i) {
    const auto& seg = t.segments[i];
    if (!turns.empty() && turns.back().speaker == seg.speaker) {
      auto& turn = turns.back();
      turn.end_ms = std::max(turn.end_ms, seg.end_ms);
      turn.last_segment = i;
      continue;
    }
    turns.push_back({seg.speaker, seg.start_ms, seg.end_ms, i, i});
  }
  return turns;
}

const Speaker* find_speaker(const Transcript& t, std::string_view id) {
  for (const auto& s : t.speakers)
    if (s.id == id) return &s;
  return nullptr;
}

std::string speaker_name(const Transcript& t, std::string_view id) {
  const Speaker* s = find_speaker(t, id);
  if (s != nullptr && !s->name.empty()) return s->name;
  return std::string(id);
}

}  // namespace hark
