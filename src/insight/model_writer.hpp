// The language-model engine for the words of a passage: asks a ChatModel (llm/) for
// {title, summary, takeaways, quote} as JSON, given the passage's transcript and the
// episode and podcast it comes from, and checks what comes back. Used through
// write_with_fallback() (describe.hpp), so a model that times out, refuses or answers
// nonsense leaves the extractive text in place with the reason recorded.
//
// What is accepted (validate_model_reply):
// - a JSON object (found inside a code fence or after a preamble too) with string `title`,
//   `summary`, `quote` and a list of strings `takeaways`; a reply cut off at max_tokens is
//   not;
// - title: quotes, a "Title:" label, trailing punctuation (but '?') and trailing filler
//   words ("and", "the", "um", ...) and a speaker label ("Name:") removed; then 1–100
//   characters, some of them letters, no braces, brackets or angle brackets, not just
//   a speaker's name, and (with WordNet) every word English or said in the passage
//   ("Theanswer" is not);
// - summary: some letters, at most 1000 characters; a question, or one whose content
//   words the passage mostly does not say (invented), is replaced by the extractive
//   summary;
// - takeaways: bullet marks and speaker labels removed, empty and repeated items dropped,
//   and so are placeholders ("Takeaway1"), names or terms of under three words, questions
//   and invented points; then 1–5 (more are cut to 5); when none is left the extractive
//   takeaways are used;
// Replaced fields are named in PassageText::fallback_reason ("summary: …; quote: …").

// - quote: must be in the passage, compared word by word ignoring case, punctuation and
//   "um"/"uh", at least 3 words; otherwise the extractive quote is used (and said so in
//   PassageText::fallback_reason). Its speaker is the one who said it.
// - no refusals ("I'm sorry", "As an AI", "I cannot ...") and no template placeholders
//   ("{{slug}}") in any field.
//
// Thread-safety: as thread-safe as its ChatModel (OpenAiChat is); holds no other state.
#pragma once

#include <cstddef>
#include <string>

#include "core/result.hpp"
#include "insight/describe.hpp"
#include "llm/chat.hpp"

namespace hark::insight {

// What the passage is part of, for the prompt.
struct PassageContext {
  std::string podcast_title;
  std::string episode_title;
  std::string episode_description;  // plain text or HTML; shortened for the prompt
};

struct ModelWriterOptions {
  std::size_t max_passage_bytes = 8000;  // the transcript sent; a long selection is cut
  std::size_t max_description_bytes = 400;
  int max_tokens = 400;
  double temperature = 0.2;
};

inline constexpr std::size_t kMaxModelTitleChars = 100;

class ModelWriter final : public PassageWriter {
 public:
  ModelWriter(llm::ChatModel& model, PassageContext context, ModelWriterOptions options = {});
  // engine "llm:<model name>". Errors: the ChatModel's, or InvalidInput "the model's reply
  // ..." saying what was wrong with it.
  Result<PassageText> write(const Passage& passage) override;

 private:
  llm::ChatModel& model_;
  PassageContext context_;
  ModelWriterOptions options_;
};

// The chat request ModelWriter sends for a passage (exposed for tests).
llm::ChatRequest passage_request(const Passage& passage, const PassageContext& context,
                                 const ModelWriterOptions& options = {});

// Checks and cleans a reply's content for `passage` (see the file comment). `engine` is
// stored in the result.
Result<PassageText> validate_model_reply(std::string_view content, const Passage& passage,
                                         const std::string& engine);

// Whether `quote` occurs in `text` ignoring case, punctuation and "um"/"uh" (exposed for
// tests).
bool quote_occurs_in(std::string_view quote, std::string_view text);

}  // namespace hark::insight
