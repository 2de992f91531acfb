#include "search/passages.hpp"

#include <map>
#include <string>

#include "transcript/sentences.hpp"

namespace hark::search {
namespace {

int word_count(const std::string& s) {
  int n = 0;
  bool in_word = false;
  for (char c : s) {
    const bool space = c == ' ' || c == '\n' || c == '\t';
    if (!space && !in_word) ++n;
    in_word = !space;
  }
  return n;
}

std::string display_name(const Transcript& t, const std::string& speaker_id) {
  if (speaker_id.empty()) return {};
  for (const auto& s : t.speakers) {
    if (s.id == speaker_id) return s.name.empty() ? s.id : s.name;
  }
  return speaker_id;
}

class Builder {
 public:
  Builder(const Transcript& t, std::vector<Passage>& out) : t_(t), out_(out) {}

  void add(const Sentence& s) {
    if (empty_) {
      current_.start_ms = s.start_ms;
      empty_ = false;
    } else {
      current_.text += ' ';
    }
    current_.end_ms = std::max(current_.end_ms, s.end_ms);
    current_.text += s.text;
    words_ += word_count(s.text);
    speaking_[s.speaker] += std::max<Millis>(s.end_ms - s.start_ms, 1);
    last_speaker_ = s.speaker;
  }

  void close() {
    if (empty_) return;
    std::string best;
    Millis best_ms = -1;
    for (const auto& [speaker, ms] : speaking_) {
      if (ms > best_ms) {
        best = speaker;
        best_ms = ms;
      }
    }
    current_.speaker = display_name(t_, best);
    out_.push_back(std::move(current_));
    current_ = Passage{};
    speaking_.clear();
    words_ = 0;
    empty_ = true;
  }

  bool empty() const { return empty_; }
  Millis length() const { return current_.end_ms - current_.start_ms; }
  Millis length_with(const Sentence& s) const {
    return std::max(current_.end_ms, s.end_ms) - current_.start_ms;
  }
  int words() const { return words_; }
  const std::string& last_speaker() const { return last_speaker_; }

 private:
  const Transcript& t_;
  std::vector<Passage>& out_;
  Passage current_;
  std::map<std::string, Millis> speaking_;
  std::string last_speaker_;
  int words_ = 0;
  bool empty_ = true;
};

}  // namespace

std::vector<Passage> make_passages(const Transcript& transcript, const PassageOptions& options) {
  std::vector<Passage> out;
  const auto sentences = transcript::sentences(transcript);
  bool timed = false;
  for (const auto& s : sentences) {
    if (s.end_ms > 0) {
      timed = true;
      break;
    }
  }
  Builder b(transcript, out);
  for (const auto& s : sentences) {
    if (s.text.empty()) continue;
    if (!b.empty()) {
      if (timed) {
        const bool speaker_change =
            s.speaker != b.last_speaker() && b.length() >= options.speaker_change_min_ms;
        const bool would_overflow = b.length_with(s) > options.max_ms;
        if (speaker_change || b.length() >= options.target_ms ||
            (would_overflow && b.length() >= options.min_ms / 2))
          b.close();
      } else {
        const int words = word_count(s.text);
        if (s.speaker != b.last_speaker() && b.words() >= options.untimed_min_words / 4)
          b.close();
        else if (b.words() >= options.untimed_min_words ||
                 b.words() + words > options.untimed_max_words)
          b.close();
      }
    }
    b.add(s);
  }
  b.close();
  return out;
}

}  // namespace hark::search
