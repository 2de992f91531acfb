#include "transcript/sentences.hpp"

#include <unicode/brkiter.h>
#include <unicode/filteredbrk.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <stdexcept>

namespace hark::transcript {
namespace {

// Where one segment's text sits in the turn's UTF-16 buffer, and where its words are.
struct WordSpan {
  int32_t begin = 0;
  int32_t end = 0;
  const Word* word = nullptr;
};

struct SegmentSpan {
  int32_t begin = 0;
  int32_t end = 0;
  std::size_t index = 0;
  const Segment* segment = nullptr;
  std::vector<WordSpan> words;  // empty when the segment has no (locatable) words
};

std::unique_ptr<icu::BreakIterator> make_iterator(const icu::Locale& locale) {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::BreakIterator> base(
      icu::BreakIterator::createSentenceInstance(locale, status));
  if (U_FAILURE(status) || !base)
    throw std::runtime_error("ICU sentence break rules are not available");
  // Locales without standard exceptions (most of them) fail here; the plain iterator and
  // kAbbreviations then do the work.
  std::unique_ptr<icu::FilteredBreakIteratorBuilder> builder(
      icu::FilteredBreakIteratorBuilder::createInstance(locale, status));
  if (U_FAILURE(status) || !builder) return base;
  std::unique_ptr<icu::BreakIterator> filtered(
      builder->wrapIteratorWithFilter(base.release(), status));
  if (U_FAILURE(status) || !filtered) throw std::runtime_error("ICU sentence break filter failed");
  return filtered;
}

bool is_space_at(const icu::UnicodeString& s, int32_t i) {
  return u_isUWhiteSpace(s.char32At(i));
}

Millis interpolate(const Segment& seg, int32_t begin, int32_t end, int32_t offset) {
  const int32_t length = std::max(1, end - begin);
  const int32_t into = std::clamp(offset - begin, 0, length);
  return seg.start_ms + (seg.end_ms - seg.start_ms) * into / length;
}

}  // namespace

struct SentenceSegmenter::Impl {
  std::unique_ptr<icu::BreakIterator> iterator;
  std::vector<icu::UnicodeString> abbreviations;
  icu::UnicodeString buffer;
  std::vector<SegmentSpan> spans;

  explicit Impl(const icu::Locale& locale) : iterator(make_iterator(locale)) {
    for (auto a : kAbbreviations)
      abbreviations.push_back(
          icu::UnicodeString::fromUTF8(icu::StringPiece(a.data(), static_cast<int32_t>(a.size()))));
  }

  // The turn [first, last] as one buffer, remembering where each segment and word is.
  void load_turn(const Transcript& t, std::size_t first, std::size_t last) {
    buffer.remove();
    spans.clear();
    for (std::size_t i = first; i <= last; ++i) {
      const auto& seg = t.segments[i];
      if (!buffer.isEmpty()) buffer.append(static_cast<UChar>(' '));
      SegmentSpan span{buffer.length(), 0, i, &seg, {}};
      buffer.append(icu::UnicodeString::fromUTF8(seg.text));
      span.end = buffer.length();
      locate_words(span);
      spans.push_back(std::move(span));
    }
  }

  void locate_words(SegmentSpan& span) const {
    int32_t from = span.begin;
    for (const auto& w : span.segment->words) {
      const auto u = icu::UnicodeString::fromUTF8(w.text);
      const int32_t at = buffer.indexOf(u, from, span.end - from);
      if (u.isEmpty() || at < 0) {  // words that do not match the text: fall back to spreading
        span.words.clear();
        return;
      }
      span.words.push_back({at, at + u.length(), &w});
      from = at + u.length();
    }
  }

  // The last segment that begins at or before `offset`.
  const SegmentSpan& span_at(int32_t offset) const {
    auto it = std::upper_bound(spans.begin(), spans.end(), offset,
                               [](int32_t v, const SegmentSpan& s) { return v < s.begin; });
    return it == spans.begin() ? spans.front() : *(it - 1);
  }

  Millis start_time(const SegmentSpan& s, int32_t offset) const {
    for (const auto& w : s.words)
      if (w.end > offset) return w.word->start_ms;
    if (!s.words.empty()) return s.words.back().word->start_ms;
    return interpolate(*s.segment, s.begin, s.end, offset);
  }

  Millis end_time(const SegmentSpan& s, int32_t offset) const {
    for (auto it = s.words.rbegin(); it != s.words.rend(); ++it)
      if (it->begin < offset) return it->word->end_ms;
    if (!s.words.empty()) return s.words.front().word->end_ms;
    return interpolate(*s.segment, s.begin, s.end, offset);
  }

  // ICU's own suppressions miss some abbreviations (see the header).
  bool ends_with_abbreviation(int32_t end) const {
    int32_t begin = end;
    while (begin > 0 && !is_space_at(buffer, begin - 1)) --begin;
    while (begin < end && (buffer[begin] == '(' || buffer[begin] == '"' || buffer[begin] == 0x201C))
      ++begin;
    const auto token = buffer.tempSubString(begin, end - begin);
    return std::any_of(abbreviations.begin(), abbreviations.end(),
                       [&](const icu::UnicodeString& a) { return a == token; });
  }

  // Where "…" followed by a capitalised word starts a sentence inside [b, e), or e.
  int32_t ellipsis_break(int32_t b, int32_t e) const {
    for (int32_t i = buffer.indexOf(static_cast<UChar>(0x2026), b, e - b); i >= 0 && i < e;
         i = buffer.indexOf(static_cast<UChar>(0x2026), i + 1, e - i - 1)) {
      int32_t next = i + 1;
      if (next >= e || !is_space_at(buffer, next)) continue;
      while (next < e && is_space_at(buffer, next)) ++next;
      if (next < e && u_isupper(buffer.char32At(next))) return next;
    }
    return e;
  }

  // Calls emit(begin, end) for each trimmed sentence of `buffer`.
  template <typename Emit>
  void each_sentence(Emit emit) {
    each_icu_sentence([&](int32_t b, int32_t e) {
      for (int32_t cut = ellipsis_break(b, e); cut < e; cut = ellipsis_break(b, e)) {
        int32_t end = cut;
        while (end > b && is_space_at(buffer, end - 1)) --end;
        emit(b, end);
        b = cut;
      }
      emit(b, e);
    });
  }

  // ICU's sentences, trimmed, with kAbbreviations merged back into their sentence.
  template <typename Emit>
  void each_icu_sentence(Emit emit) {
    iterator->setText(buffer);
    int32_t begin = iterator->first();
    for (int32_t end = iterator->next(); end != icu::BreakIterator::DONE; end = iterator->next()) {
      int32_t b = begin, e = end;
      while (b < e && is_space_at(buffer, b)) ++b;
      while (e > b && is_space_at(buffer, e - 1)) --e;
      if (b == e) {
        begin = end;
        continue;
      }
      if (end < buffer.length() && ends_with_abbreviation(e)) continue;  // keep `begin`
      emit(b, e);
      begin = end;
    }
  }

  void split_turn(const std::string& speaker, std::vector<Sentence>& out) {
    each_sentence([&](int32_t b, int32_t e) {
      const auto& first = span_at(b);
      const auto& last = span_at(e - 1);
      Sentence s;
      s.start_ms = start_time(first, b);
      s.end_ms = std::max(s.start_ms, end_time(last, e));
      s.speaker = speaker;
      buffer.tempSubString(b, e - b).toUTF8String(s.text);
      s.first_segment = first.index;
      s.last_segment = last.index;
      out.push_back(std::move(s));
    });
  }
};

SentenceSegmenter::SentenceSegmenter(std::string_view language) {
  const std::string tag = language.empty() ? "en" : std::string(language);
  UErrorCode status = U_ZERO_ERROR;
  icu::Locale locale = icu::Locale::forLanguageTag(tag, status);
  if (U_FAILURE(status) || locale.isBogus()) locale = icu::Locale::getEnglish();
  impl_ = std::make_unique<Impl>(locale);
}

SentenceSegmenter::~SentenceSegmenter() = default;
SentenceSegmenter::SentenceSegmenter(SentenceSegmenter&&) noexcept = default;
SentenceSegmenter& SentenceSegmenter::operator=(SentenceSegmenter&&) noexcept = default;

std::vector<Sentence> SentenceSegmenter::split(const Transcript& t) {
  std::vector<Sentence> out;
  for (const auto& turn : speaker_turns(t)) {
    impl_->load_turn(t, turn.first_segment, turn.last_segment);
    impl_->split_turn(turn.speaker, out);
  }
  return out;
}

std::vector<std::string> SentenceSegmenter::split_text(std::string_view text) {
  impl_->buffer = icu::UnicodeString::fromUTF8(
      icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
  std::vector<std::string> out;
  impl_->each_sentence([&](int32_t b, int32_t e) {
    std::string s;
    impl_->buffer.tempSubString(b, e - b).toUTF8String(s);
    out.push_back(std::move(s));
  });
  return out;
}

std::vector<Sentence> sentences(const Transcript& t) {
  return SentenceSegmenter(t.language).split(t);
}

}  // namespace hark::transcript
