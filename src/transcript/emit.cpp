#include "transcript/emit.hpp"

#include <nlohmann/json.hpp>

#include "core/text.hpp"
#include "transcript/detail/cues.hpp"

namespace hark::transcript {
namespace {

// A voice name must not close the <v …> tag early or break the cue.
std::string voice_name(std::string_view name) {
  std::string out;
  for (char c : name)
    if (c != '<' && c != '>' && c != '\n' && c != '\r') out.push_back(c);
  return out;
}

std::string vtt_cue_text(const Segment& seg) {
  if (seg.words.empty()) return text::escape_html(seg.text);
  std::string out;
  for (std::size_t i = 0; i < seg.words.size(); ++i) {
    const auto& w = seg.words[i];
    if (i > 0) out += ' ';
    if (i > 0 || w.start_ms != seg.start_ms)
      out += '<' + detail::format_cue_time(w.start_ms, '.') + '>';
    out += text::escape_html(w.text);
  }
  return out;
}

// The label that starts each line of SRT and text output (see emit.hpp).
class TurnLabels {
 public:
  explicit TurnLabels(const Transcript& t)
      : t_(t), every_segment_(!t.segments.empty() && t.segments.front().speaker.empty()) {}

  std::string next(const Segment& seg, bool dash_ends_turn) {
    const bool new_turn = first_ || seg.speaker != previous_;
    first_ = false;
    previous_ = seg.speaker;
    if (seg.speaker.empty()) return new_turn && dash_ends_turn && !every_segment_ ? "- " : "";
    // Text that itself starts like a label ("Today: …") is labelled again, or it would
    // read back as a change of speaker.
    if (!new_turn && !every_segment_ && !detail::speaker_prefix(seg.text)) return "";
    return speaker_name(t_, seg.speaker) + ": ";
  }

 private:
  const Transcript& t_;
  bool every_segment_;
  bool first_ = true;
  std::string previous_;
};

double seconds(Millis ms) {
  return static_cast<double>(ms) / 1000.0;
}

nlohmann::json json_segment(const std::string& speaker, Millis start, Millis end,
                            const std::string& body) {
  nlohmann::json j;
  if (!speaker.empty()) j["speaker"] = speaker;
  j["startTime"] = seconds(start);
  j["endTime"] = seconds(end);
  j["body"] = body;
  return j;
}

}  // namespace

std::string to_vtt(const Transcript& t) {
  std::string out = "WEBVTT\n";
  if (!t.language.empty()) out += "Language: " + t.language + "\n";
  out += '\n';
  for (std::size_t i = 0; i < t.segments.size(); ++i) {
    const auto& seg = t.segments[i];
    out += std::to_string(i + 1) + '\n';
    out += detail::format_cue_time(seg.start_ms, '.') + " --> " +
           detail::format_cue_time(seg.end_ms, '.') + '\n';
    if (!seg.speaker.empty()) out += "<v " + voice_name(speaker_name(t, seg.speaker)) + '>';
    out += vtt_cue_text(seg);
    out += "\n\n";
  }
  return out;
}

std::string to_srt(const Transcript& t) {
  std::string out;
  TurnLabels labels(t);
  for (std::size_t i = 0; i < t.segments.size(); ++i) {
    const auto& seg = t.segments[i];
    out += std::to_string(i + 1) + '\n';
    out += detail::format_cue_time(seg.start_ms, ',') + " --> " +
           detail::format_cue_time(seg.end_ms, ',') + '\n';
    out += labels.next(seg, true) + seg.text + "\n\n";
  }
  return out;
}

std::string to_json(const Transcript& t) {
  nlohmann::json segments = nlohmann::json::array();
  for (const auto& seg : t.segments) {
    const auto speaker = speaker_name(t, seg.speaker);
    if (seg.words.empty()) {
      segments.push_back(json_segment(speaker, seg.start_ms, seg.end_ms, seg.text));
      continue;
    }
    for (const auto& w : seg.words)
      segments.push_back(json_segment(speaker, w.start_ms, w.end_ms, w.text));
  }
  nlohmann::json root;
  root["version"] = "1.0.0";
  if (!t.language.empty()) root["language"] = t.language;
  root["segments"] = std::move(segments);
  return root.dump(2) + '\n';
}

std::string to_html(const Transcript& t) {
  std::string out = "<!DOCTYPE html>\n<html";
  if (!t.language.empty())
    out += " lang=\"" + text::escape_html(t.language, /*attribute=*/true) + '"';
  out += ">\n<body>\n";
  std::optional<std::string> previous;
  for (const auto& seg : t.segments) {
    if (previous != seg.speaker) {
      out += "<cite>" + text::escape_html(speaker_name(t, seg.speaker)) +
             (seg.speaker.empty() ? "" : ":") + "</cite>\n";
      previous = seg.speaker;
    }
    if (t.timed) out += "<time>" + detail::format_cue_time(seg.start_ms, '.') + "</time>\n";
    out += "<p>" + text::escape_html(seg.text) + "</p>\n";
  }
  out += "</body>\n</html>\n";
  return out;
}

std::string to_text(const Transcript& t) {
  std::string out;
  TurnLabels labels(t);
  for (const auto& seg : t.segments) {
    if (!out.empty()) out += '\n';
    out += labels.next(seg, false) + seg.text + '\n';
  }
  return out;
}

std::string emit_transcript(const Transcript& t, Format format) {
  switch (format) {
    case Format::Vtt:
      return to_vtt(t);
    case Format::Srt:
      return to_srt(t);
    case Format::Json:
      return to_json(t);
    case Format::Html:
      return to_html(t);
    case Format::Text:
      return to_text(t);
  }
  return to_text(t);
}

}  // namespace hark::transcript
