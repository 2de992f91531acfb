#include "asr/endpoint.hpp"

#include <charconv>
#include <chrono>
#include <nlohmann/json.hpp>
#include <utility>

#include "core/text.hpp"
#include "net/service_api.hpp"

namespace hark::asr {
namespace {

constexpr std::string_view kKeyHint =
    "set [asr] api_key or the environment variable named by api_key_env";

bool is_auto(std::string_view language) {
  const auto l = text::trim(language);
  return l.empty() || text::iequals(l, "auto");
}

// "/v1/audio/transcriptions" of "http://host:8000/v1/audio/transcriptions".
std::string path_of(const std::string& url) {
  const auto scheme = url.find("://");
  const auto slash = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  return slash == std::string::npos ? "/" : url.substr(slash);
}

std::optional<Millis> retry_after(const net::Response& response) {
  const std::string value{text::trim(response.header("retry-after"))};
  long long seconds = 0;
  const auto r = std::from_chars(value.data(), value.data() + value.size(), seconds);
  if (value.empty() || r.ec != std::errc{} || r.ptr != value.data() + value.size() || seconds < 0) {
    return std::nullopt;  // an HTTP date, or nothing: the caller's backoff applies
  }
  return static_cast<Millis>(seconds) * 1000;
}

}  // namespace

std::string_view to_string(EngineKind kind) {
  switch (kind) {
    case EngineKind::OpenAI:
      return "openai";
    case EngineKind::WhisperCpp:
      return "whisper.cpp";
  }
  return "openai";
}

std::string request_url(const Endpoint& endpoint) {
  std::string url{text::trim(endpoint.url)};
  while (url.ends_with('/')) url.pop_back();
  if (endpoint.kind == EngineKind::WhisperCpp) {
    return url.ends_with("/inference") ? url : url + "/inference";
  }
  if (url.ends_with("/audio/transcriptions")) return url;
  if (url.ends_with("/v1")) return url + "/audio/transcriptions";
  return url + "/v1/audio/transcriptions";
}

EndpointClient::EndpointClient(net::HttpClient& http, Endpoint endpoint)
    : http_(http), endpoint_(std::move(endpoint)), url_(request_url(endpoint_)) {}

bool EndpointClient::acquire(const std::function<bool()>& keep_going) {
  std::unique_lock lock(mutex_);
  while (in_flight_ >= std::max(1, endpoint_.concurrency)) {
    if (!keep_going()) return false;
    freed_.wait_for(lock, std::chrono::milliseconds(20));
  }
  if (!keep_going()) return false;
  ++in_flight_;
  return true;
}

void EndpointClient::release() {
  {
    std::lock_guard lock(mutex_);
    --in_flight_;
  }
  freed_.notify_one();
}

Attempt EndpointClient::attempt(std::string_view wav, const TranscribeOptions& options,
                                const std::function<bool()>& keep_going) const {
  const bool openai = endpoint_.kind == EngineKind::OpenAI;
  MultipartForm form;
  form.add_file("file", "audio.wav", "audio/wav", wav);
  if (openai && !endpoint_.model.empty()) form.add_field("model", endpoint_.model);
  form.add_field("response_format", "verbose_json");
  form.add_field("temperature", "0");
  if (openai) {
    form.add_field("timestamp_granularities[]", "segment");
    if (options.word_timestamps) form.add_field("timestamp_granularities[]", "word");
  }
  if (!is_auto(options.language)) {
    form.add_field("language", text::to_lower_ascii(text::trim(options.language)));
  } else if (!openai) {
    form.add_field("language", "auto");  // whisper.cpp's server defaults to "en"
  }
  if (!options.prompt.empty()) {
    std::string prompt =
        text::truncate_utf8(text::collapse_whitespace(options.prompt), kMaxPromptBytes);
    if (prompt.ends_with("…")) {  // cut: end at a word boundary instead of mid-word
      prompt.resize(prompt.size() - std::string_view("…").size());
      if (const auto space = prompt.rfind(' '); space != std::string::npos) prompt.resize(space);
    }
    form.add_field("prompt", prompt);
  }

  net::Request request;
  request.method = "POST";
  request.url = url_;
  request.headers.emplace_back("Content-Type", form.content_type());
  request.headers.emplace_back("Accept", "application/json");
  if (!endpoint_.api_key.empty()) {
    request.headers.emplace_back("Authorization", "Bearer " + endpoint_.api_key);
  }
  request.body = std::move(form).finish();
  request.timeout_ms = endpoint_.timeout_ms > 0 ? static_cast<long>(endpoint_.timeout_ms) : 0;

  const std::string service = "the speech-to-text service at " + endpoint_.url;
  auto response = http_.fetch(request, [&](std::int64_t, std::int64_t) { return keep_going(); });
  if (!response) {
    const Error& e = response.error();
    if (e.code == ErrorCode::Cancelled) return {e};
    const bool transient = e.code == ErrorCode::Unavailable;
    return {Error{e.code, service + " could not be used: " + e.message}, transient};
  }

  const int status = response->status;
  if (status >= 200 && status < 300) {
    auto parsed =
        parse_verbose_json(response->body, openai ? WireFormat::OpenAI : WireFormat::WhisperCpp);
    if (!parsed) {
      return {unavailable(service + " returned invalid JSON (" + parsed.error().message +
                          "): check that [asr] url and kind point at a " +
                          std::string(to_string(endpoint_.kind)) + " server")};
    }
    if (!options.word_timestamps) {
      for (WireSegment& s : parsed->segments) s.words.clear();
    }
    return {std::move(*parsed)};
  }

  const std::string said = net::service_message(response->body);
  const std::string detail =
      " (HTTP " + std::to_string(status) + (said.empty() ? "" : ": " + said) + ")";
  if (status == 401 || status == 403) {
    const std::string what =
        endpoint_.api_key.empty() ? " requires an API key" : " refused the API key";
    return {forbidden(service + what + detail + " (" + std::string(kKeyHint) + ")")};
  }
  if (status == 400 || status == 413 || status == 415 || status == 422) {
    return {invalid_input(service + " rejected the audio" + detail)};
  }
  if (status == 404 || status == 405) {
    return {unavailable(service + " has no " + path_of(url_) + " endpoint" + detail +
                        ": check [asr] url and kind")};
  }
  if (status == 408 || status == 429 || status >= 500) {
    return {unavailable(service + " is overloaded or failing" + detail), true,
            retry_after(*response)};
  }
  return {unavailable(service + " answered unexpectedly" + detail)};
}

}  // namespace hark::asr
