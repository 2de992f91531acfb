// A chat language model: messages in, one reply out. The interface insight/ writes snips
// with (insight/model_writer.hpp) and the value types that cross it; the OpenAI-compatible
// backend is in openai_chat.hpp. Nothing here knows about podcasts.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace hark::llm {

struct ChatMessage {
  std::string role;  // "system", "user", "assistant"
  std::string content;
};

// What the reply must look like.
enum class ReplyFormat {
  Text,        // free text
  JsonObject,  // one JSON object, shape described in the prompt
  JsonSchema,  // one JSON object valid against ChatRequest::json_schema
};

// "text", "json_object", "json_schema".
std::string_view to_string(ReplyFormat format);

struct ChatRequest {
  std::vector<ChatMessage> messages;
  ReplyFormat format = ReplyFormat::Text;
  // For JsonSchema: a name ([a-zA-Z0-9_-]) and a JSON Schema document as JSON text. A
  // backend that cannot constrain output to a schema asks for a JSON object instead, then
  // for text, so the caller must still parse and validate the reply.
  std::string schema_name;
  std::string json_schema;
  double temperature = 0.2;
  int max_tokens = 400;
};

struct ChatReply {
  std::string content;                     // the assistant message's text
  std::string finish_reason;               // "stop", "length" (cut off at max_tokens), ... or ""
  std::string model;                       // the model that answered, as the server names it
  ReplyFormat format = ReplyFormat::Text;  // what the server was asked for in the end
  int prompt_tokens = 0;                   // 0 when the server did not say
  int completion_tokens = 0;
  int attempts = 1;  // requests sent, retries included
};

// A chat model. Implementations say whether they are thread-safe. Failures are Errors,
// never exceptions: Unavailable (cannot be reached, overloaded, timed out, answered
// nonsense; retrying later may help), Forbidden (the API key is missing or refused),
// InvalidInput (the request was refused as such: too long a prompt, an unknown model),
// Cancelled.
class ChatModel {
 public:
  virtual ~ChatModel() = default;
  virtual Result<ChatReply> chat(const ChatRequest& request) = 0;
  // The configured model's name ("smollm2-135m-instruct", "gpt-4o-mini"), for provenance.
  [[nodiscard]] virtual std::string model_name() const = 0;
};

// The JSON object in a model's reply, as text: the reply itself, or the object inside a
// Markdown code fence (```json ... ```) or after a sentence of preamble ("Here is the
// JSON: {...}"). Only finds where it is; parsing it is the caller's. InvalidInput when the
// reply holds no balanced {...}.
Result<std::string_view> json_object_in(std::string_view reply);

// Small models write almost-JSON: `\'` escapes and raw line breaks or tabs inside strings
// (llama.cpp's JSON grammar lets both through). Returns the text with those repaired
// (`'`, `\n`, `\t`); anything else is left for the JSON parser to reject.
std::string repair_json(std::string_view json_text);

}  // namespace hark::llm
