#include "llm/openai_chat.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>
#include <thread>
#include <utility>

#include "core/text.hpp"
#include "net/service_api.hpp"

namespace hark::llm {
namespace {

using nlohmann::json;

std::optional<Millis> retry_after(const net::Response& response) {
  const std::string value{text::trim(response.header("retry-after"))};
  long long seconds = 0;
  const auto r = std::from_chars(value.data(), value.data() + value.size(), seconds);
  if (value.empty() || r.ec != std::errc{} || r.ptr != value.data() + value.size() || seconds < 0)
    return std::nullopt;  // an HTTP date, or nothing: our own backoff applies
  return static_cast<Millis>(seconds) * 1000;
}

// A 400/422 about the prompt's length is not the response_format's fault.
bool about_context_length(std::string_view said) {
  const std::string lower = text::to_lower_ascii(said);
  return lower.find("context_length") != std::string::npos ||
         lower.find("context length") != std::string::npos ||
         lower.find("maximum context") != std::string::npos ||
         lower.find("too many tokens") != std::string::npos;
}

json request_body(const ChatRequest& request, const std::string& model, ReplyFormat format) {
  json messages = json::array();
  for (const auto& m : request.messages)
    messages.push_back({{"role", m.role}, {"content", m.content}});
  json body = {{"model", model},
               {"messages", std::move(messages)},
               {"temperature", request.temperature},
               {"max_tokens", request.max_tokens},
               {"stream", false}};
  if (format == ReplyFormat::JsonSchema) {
    body["response_format"] = {
        {"type", "json_schema"},
        {"json_schema",
         {{"name", request.schema_name.empty() ? std::string("reply") : request.schema_name},
          {"strict", true},
          {"schema", json::parse(request.json_schema)}}}};
  } else if (format == ReplyFormat::JsonObject) {
    body["response_format"] = {{"type", "json_object"}};
  }
  return body;
}

Result<ChatReply> parse_completion(const std::string& body) {
  json doc;
  try {
    doc = json::parse(body);
  } catch (const json::exception& e) {
    return invalid_input(std::string("the body is not JSON (") + e.what() + ")");
  }
  if (!doc.is_object()) return invalid_input("the body is not a JSON object");
  const auto choices = doc.find("choices");
  if (choices == doc.end() || !choices->is_array() || choices->empty() ||
      !choices->front().is_object())
    return invalid_input("it has no choices[0]");
  const json& choice = choices->front();
  const auto message = choice.find("message");
  if (message == choice.end() || !message->is_object())
    return invalid_input("choices[0] has no message");
  ChatReply reply;
  const auto content = message->find("content");
  if (content != message->end() && content->is_string()) {
    reply.content = content->get<std::string>();
  } else if (content != message->end() && content->is_array()) {
    for (const auto& part : *content)  // content parts: [{"type": "text", "text": ...}]
      if (part.is_object() && part.contains("text") && part["text"].is_string())
        reply.content += part["text"].get<std::string>();
  } else if (content == message->end() || !content->is_null()) {
    return invalid_input("choices[0].message.content is not text");
  }
  if (const auto f = choice.find("finish_reason"); f != choice.end() && f->is_string())
    reply.finish_reason = f->get<std::string>();
  if (const auto m = doc.find("model"); m != doc.end() && m->is_string())
    reply.model = m->get<std::string>();
  if (const auto u = doc.find("usage"); u != doc.end() && u->is_object()) {
    if (const auto p = u->find("prompt_tokens"); p != u->end() && p->is_number_integer())
      reply.prompt_tokens = p->get<int>();
    if (const auto c = u->find("completion_tokens"); c != u->end() && c->is_number_integer())
      reply.completion_tokens = c->get<int>();
  }
  return reply;
}

}  // namespace

struct OpenAiChat::Attempt {
  Result<ChatReply> result;
  bool retryable = false;        // 408, 429, 5xx, transport failures
  bool timed_out = false;        // the request ran out of time
  bool format_rejected = false;  // a 400/422 that a simpler response_format may avoid
  std::optional<Millis> retry_after_ms{};
};

std::string chat_completions_url(std::string_view base_url) {
  return net::openai_endpoint_url(base_url, "/chat/completions");
}

OpenAiChat::OpenAiChat(net::HttpClient& http, ChatEndpoint endpoint, RetryOptions retry)
    : http_(http),
      endpoint_(std::move(endpoint)),
      retry_(std::move(retry)),
      url_(chat_completions_url(endpoint_.url)) {
  if (!retry_.sleep)
    retry_.sleep = [](Millis ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); };
}

OpenAiChat::Attempt OpenAiChat::send(const ChatRequest& request, ReplyFormat format) const {
  net::Request http_request;
  http_request.method = "POST";
  http_request.url = url_;
  http_request.headers.emplace_back("Content-Type", "application/json");
  http_request.headers.emplace_back("Accept", "application/json");
  if (!endpoint_.api_key.empty())
    http_request.headers.emplace_back("Authorization", "Bearer " + endpoint_.api_key);
  try {
    http_request.body = request_body(request, endpoint_.model, format).dump();
  } catch (const json::exception& e) {  // a json_schema that is not JSON: the caller's bug
    return {internal_error(std::string("the JSON schema of the request is not JSON: ") + e.what())};
  }
  http_request.timeout_ms = endpoint_.timeout_ms > 0 ? static_cast<long>(endpoint_.timeout_ms) : 0;

  const std::string service = "the language model service at " + endpoint_.url;
  auto response = http_.fetch(http_request);
  if (!response) {
    const Error& e = response.error();
    if (e.code == ErrorCode::Cancelled) return {e};
    const bool transient = e.code == ErrorCode::Unavailable;
    Attempt a{Error{e.code, service + " could not be used: " + e.message}, transient};
    a.timed_out = e.message.find("timed out") != std::string::npos;
    return a;
  }

  const int status = response->status;
  if (status >= 200 && status < 300) {
    auto reply = parse_completion(response->body);
    if (!reply)
      return {unavailable(service + " did not answer with a chat completion (" +
                          reply.error().message + "): check " + endpoint_.source +
                          " url, which must be an OpenAI-compatible API base such as "
                          "http://host:11434/v1")};
    reply->format = format;
    return {std::move(*reply)};
  }

  const std::string said = net::service_message(response->body);
  const std::string detail =
      " (HTTP " + std::to_string(status) + (said.empty() ? "" : ": " + said) + ")";
  if (status == 401 || status == 403) {
    const std::string what =
        endpoint_.api_key.empty() ? " requires an API key" : " refused the API key";
    return {forbidden(service + what + detail +
                      ": set api_key, or api_key_env naming the "
                      "variable that holds it, in " +
                      endpoint_.source + " (or HARK_LLM_API_KEY)")};
  }
  if (status == 408 || status == 429 || status >= 500) {
    Attempt a{unavailable(service + " is overloaded or failing" + detail), true};
    a.retry_after_ms = retry_after(*response);
    return a;
  }
  if (status == 404)
    return {invalid_input(service + " has no chat completions at " + url_ + " or no model '" +
                          endpoint_.model + "'" + detail + ": check " + endpoint_.source +
                          " url and model")};
  Attempt a{invalid_input(service + " refused the request" + detail)};
  a.format_rejected = (status == 400 || status == 422) && format != ReplyFormat::Text &&
                      !about_context_length(said);
  return a;
}

Result<ChatReply> OpenAiChat::chat(const ChatRequest& request) {
  if (endpoint_.model.empty())
    return invalid_input("no language model named: set model in " + endpoint_.source);
  ReplyFormat format = request.format;
  if (format != ReplyFormat::Text)
    format = static_cast<ReplyFormat>(std::min(static_cast<int>(format), best_format_.load()));
  if (format == ReplyFormat::JsonSchema && request.json_schema.empty())
    format = ReplyFormat::JsonObject;

  int attempts = 0;
  int timeouts = 0;
  Millis delay = retry_.base_delay_ms;
  for (;;) {
    ++attempts;
    Attempt a = send(request, format);
    if (a.result) {
      a.result->attempts = attempts;
      return std::move(a.result);
    }
    if (a.format_rejected) {  // not a failed attempt: the server wants a simpler request
      format = format == ReplyFormat::JsonSchema ? ReplyFormat::JsonObject : ReplyFormat::Text;
      int expected = best_format_.load();
      while (expected > static_cast<int>(format) &&
             !best_format_.compare_exchange_weak(expected, static_cast<int>(format))) {
      }
      --attempts;
      continue;
    }
    if (a.timed_out) ++timeouts;
    if (!a.retryable || attempts >= retry_.max_attempts || timeouts >= 2) {
      Error e = a.result.error();
      if (attempts > 1) e.message += " (after " + std::to_string(attempts) + " attempts)";
      return e;
    }
    retry_.sleep(std::min(a.retry_after_ms.value_or(delay), retry_.max_delay_ms));
    delay = std::min(delay * 2, retry_.max_delay_ms);
  }
}

}  // namespace hark::llm
