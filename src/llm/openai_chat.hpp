// The OpenAI-compatible chat backend: POST {url}/chat/completions as OpenAI documents it,
// which Ollama, llama.cpp's llama-server, vLLM, LM Studio, OpenAI itself and
// services/llm all speak.
#pragma once

#include <atomic>
#include <functional>
#include <string>

#include "core/model.hpp"
#include "core/result.hpp"
#include "llm/chat.hpp"
#include "net/http_client.hpp"

namespace hark::llm {

struct ChatEndpoint {
  // The API's base URL: "http://127.0.0.1:8931/v1", "http://localhost:11434/v1" (Ollama),
  // "https://api.openai.com/v1". A URL with no path gets "/v1"; one that already ends in
  // "/chat/completions" is used as it is.
  std::string url;
  std::string model;           // sent as `model`; required
  std::string api_key;         // sent as "Authorization: Bearer ..." when not ""
  Millis timeout_ms = 60'000;  // per request, including the wait in the server's queue
  // Where these settings came from ("hark.toml [llm]", "--llm", "HARK_LLM_URL"), named in
  // error messages so the person knows what to fix.
  std::string source = "[llm]";
};

// The URL requests go to (see ChatEndpoint::url).
std::string chat_completions_url(std::string_view base_url);

struct RetryOptions {
  int max_attempts = 3;         // for 408/429/5xx/transport failures; a timeout is retried once
  Millis base_delay_ms = 500;   // before the 2nd attempt; doubled for each further one
  Millis max_delay_ms = 8'000;  // also caps a server's Retry-After
  // Waits between attempts; a seam so tests need not sleep. Default: sleeps.
  std::function<void(Millis)> sleep{};
};

// Thread-safe: chat() may run on many threads at once over one HttpClient.
//
// JSON replies: a ReplyFormat::JsonSchema request is sent with OpenAI's
// `response_format: {type: "json_schema", ...}`. A server that rejects that (HTTP 400/422
// about the request, not about the prompt's length) is asked again with
// `{type: "json_object"}`, then with no response_format; the format that worked is
// remembered for later calls. ChatReply::format says what was used.
//
// Errors (the message names the URL and ChatEndpoint::source):
// - Forbidden for 401/403, saying whether the key is missing or refused and which setting
//   holds it; never retried;
// - InvalidInput for other 4xx (404 names the model and URL); never retried;
// - Unavailable for 408/429/5xx, transport failures and timeouts after the retries, and
//   for a 2xx whose body is not a chat completion.
class OpenAiChat final : public ChatModel {
 public:
  OpenAiChat(net::HttpClient& http, ChatEndpoint endpoint, RetryOptions retry = {});

  Result<ChatReply> chat(const ChatRequest& request) override;
  [[nodiscard]] std::string model_name() const override { return endpoint_.model; }
  [[nodiscard]] const ChatEndpoint& endpoint() const { return endpoint_; }

 private:
  struct Attempt;
  Attempt send(const ChatRequest& request, ReplyFormat format) const;

  net::HttpClient& http_;
  ChatEndpoint endpoint_;
  RetryOptions retry_;
  std::string url_;
  // The most structured format the server has accepted so far (ReplyFormat values).
  std::atomic<int> best_format_{static_cast<int>(ReplyFormat::JsonSchema)};
};

}  // namespace hark::llm
