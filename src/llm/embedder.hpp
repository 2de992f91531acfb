// Text embeddings: texts in, one vector each out. The interface search uses (through
// app/search.hpp) and its OpenAI-compatible backend (POST {url}/embeddings: services/embeddings,
// Ollama, llama.cpp's server, vLLM, OpenAI). Nothing here knows about podcasts.
#pragma once

#include <string>
#include <vector>

#include "core/model.hpp"
#include "core/result.hpp"
#include "net/http_client.hpp"

namespace hark::llm {

// Some models embed what is searched for and what is searched differently (e5: "query: " and
// "passage: " prefixes); the backend applies what its endpoint is configured with.
enum class EmbedRole { Query, Passage };

class Embedder {
 public:
  virtual ~Embedder() = default;
  // One vector per text, in order; every vector has the same length. Thread-safe.
  virtual Result<std::vector<std::vector<float>>> embed(const std::vector<std::string>& texts,
                                                        EmbedRole role) = 0;
  [[nodiscard]] virtual std::string model_name() const = 0;
};

struct EmbeddingEndpoint {
  // The API's base URL: "http://127.0.0.1:8932/v1". A URL with no path gets "/v1"; one that
  // already ends in "/embeddings" is used as it is.
  std::string url;
  std::string model;  // sent as `model`; required
  std::string api_key;
  std::string query_prefix = "query: ";  // e5 models expect these; "" for models that do not
  std::string passage_prefix = "passage: ";
  int batch_size = 32;  // texts per request
  Millis timeout_ms = 60'000;
  std::string source = "[embeddings]";  // where these settings came from, for messages
};

std::string embeddings_url(std::string_view base_url);

// Thread-safe. Errors name the URL and EmbeddingEndpoint::source: Forbidden for 401/403,
// InvalidInput for other 4xx (404: the model name), Unavailable for 408/429/5xx, transport
// failures (retried twice with a short backoff first) and answers that are not embeddings
// (wrong count, differing lengths, not numbers).
class OpenAiEmbedder final : public Embedder {
 public:
  OpenAiEmbedder(net::HttpClient& http, EmbeddingEndpoint endpoint);
  Result<std::vector<std::vector<float>>> embed(const std::vector<std::string>& texts,
                                                EmbedRole role) override;
  [[nodiscard]] std::string model_name() const override { return endpoint_.model; }

 private:
  Result<std::vector<std::vector<float>>> batch(const std::vector<std::string>& texts,
                                                std::size_t begin, std::size_t end, EmbedRole role);
  net::HttpClient& http_;
  EmbeddingEndpoint endpoint_;
  std::string url_;
};

}  // namespace hark::llm
