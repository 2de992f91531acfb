#include "llm/embedder.hpp"

#include <algorithm>
#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>

#include "core/text.hpp"
#include "net/service_api.hpp"

namespace hark::llm {
namespace {

using nlohmann::json;

}  // namespace

std::string embeddings_url(std::string_view base_url) {
  return net::openai_endpoint_url(base_url, "/embeddings");
}

OpenAiEmbedder::OpenAiEmbedder(net::HttpClient& http, EmbeddingEndpoint endpoint)
    : http_(http), endpoint_(std::move(endpoint)), url_(embeddings_url(endpoint_.url)) {}

Result<std::vector<std::vector<float>>> OpenAiEmbedder::embed(const std::vector<std::string>& texts,
                                                              EmbedRole role) {
  std::vector<std::vector<float>> out;
  out.reserve(texts.size());
  const std::size_t step = static_cast<std::size_t>(std::max(endpoint_.batch_size, 1));
  for (std::size_t begin = 0; begin < texts.size(); begin += step) {
    auto part = batch(texts, begin, std::min(texts.size(), begin + step), role);
    if (!part) return part.error();
    if (!out.empty() && !part->empty() && part->front().size() != out.front().size())
      return unavailable(url_ + " answered vectors of different lengths");
    for (auto& v : *part) out.push_back(std::move(v));
  }
  return out;
}

Result<std::vector<std::vector<float>>> OpenAiEmbedder::batch(const std::vector<std::string>& texts,
                                                              std::size_t begin, std::size_t end,
                                                              EmbedRole role) {
  const std::string& prefix =
      role == EmbedRole::Query ? endpoint_.query_prefix : endpoint_.passage_prefix;
  json input = json::array();
  for (std::size_t i = begin; i < end; ++i) {
    // An empty input is refused by most servers; a space embeds as "nothing said".
    const std::string text = texts[i].empty() ? " " : text::sanitize_utf8(texts[i]);
    input.push_back(prefix + text);
  }
  net::Request request;
  request.method = "POST";
  request.url = url_;
  request.headers.emplace_back("Content-Type", "application/json");
  request.headers.emplace_back("Accept", "application/json");
  if (!endpoint_.api_key.empty())
    request.headers.emplace_back("Authorization", "Bearer " + endpoint_.api_key);
  request.body =
      json{{"model", endpoint_.model}, {"input", input}, {"encoding_format", "float"}}.dump(
          -1, ' ', false, json::error_handler_t::replace);
  request.timeout_ms = static_cast<long>(endpoint_.timeout_ms);
  const std::string where = " (" + url_ + ", set in " + endpoint_.source + ")";
  Error last = unavailable("no attempt");
  for (int attempt = 0; attempt < 3; ++attempt) {
    if (attempt > 0) std::this_thread::sleep_for(std::chrono::milliseconds(250 << attempt));
    auto response = http_.fetch(request);
    if (!response) {
      last = unavailable("the embedding service cannot be reached: " + response.error().message +
                         where);
      if (response.error().code == ErrorCode::Cancelled) return response.error();
      continue;
    }
    const int status = response->status;
    if (status == 401 || status == 403)
      return forbidden("the embedding service refused the API key (HTTP " + std::to_string(status) +
                       ")" + where);
    if (status == 408 || status == 429 || status >= 500) {
      last = unavailable("the embedding service answered HTTP " + std::to_string(status) + ": " +
                         net::service_message(response->body) + where);
      continue;
    }
    if (status < 200 || status > 299)
      return invalid_input("the embedding service refused the request (HTTP " +
                           std::to_string(status) + ": " + net::service_message(response->body) +
                           "); check the model name '" + endpoint_.model + "'" + where);
    auto doc = json::parse(response->body, nullptr, /*allow_exceptions=*/false);
    if (!doc.is_object() || !doc["data"].is_array() || doc["data"].size() != end - begin)
      return unavailable("the embedding service's answer is not a list of " +
                         std::to_string(end - begin) + " embeddings" + where);
    std::vector<std::vector<float>> out(end - begin);
    for (std::size_t i = 0; i < doc["data"].size(); ++i) {
      const auto& item = doc["data"][i];
      const std::size_t index = item.contains("index") && item["index"].is_number_unsigned()
                                    ? item["index"].get<std::size_t>()
                                    : i;
      if (index >= out.size() || !item["embedding"].is_array() || item["embedding"].empty())
        return unavailable("the embedding service's answer has a malformed embedding" + where);
      auto& v = out[index];
      for (const auto& x : item["embedding"]) {
        if (!x.is_number()) return unavailable("an embedding holds a non-number" + where);
        v.push_back(x.get<float>());
      }
    }
    for (const auto& v : out) {
      if (v.empty() || v.size() != out.front().size())
        return unavailable("the embedding service answered vectors of different lengths" + where);
    }
    return out;
  }
  return last;
}

}  // namespace hark::llm
