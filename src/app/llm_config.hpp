// The [llm] table of hark.toml: the language model (any OpenAI-compatible chat API) that
// writes snip titles, summaries, takeaways and quotes instead of the extractive engine.
// Read by the App itself (config.cpp leaves the table to the feature that owns it):
//
//   [llm]
//   url = "http://127.0.0.1:8931/v1"   # the API base: Ollama http://localhost:11434/v1, ...
//   model = "smollm2-135m-instruct"    # required with url
//   api_key_env = "OPENAI_API_KEY"     # or api_key = "..." (sent as a Bearer token)
//   timeout_seconds = 60               # per request, including the wait in the server's queue
//   snips = true                       # snips are written by the model (default true)
//   highlights = false                 # the insights step's highlight titles and summaries too
//                                      # (one request per highlight; default false)
//
// `api_key_env` names an environment variable holding the key, so the key stays out of the
// file; naming a variable that is not set is an error. Unknown keys are errors.
//
// Precedence: hark.toml < environment (HARK_LLM_URL, HARK_LLM_MODEL, HARK_LLM_API_KEY,
// HARK_LLM_TIMEOUT_SECONDS) < the command line (`hark snip --llm URL`, override_llm_url()).
// No url: no model; snips are extractive.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "app/config.hpp"
#include "core/result.hpp"
#include "llm/openai_chat.hpp"
#include "net/http_client.hpp"

namespace hark::app {

struct LlmConfig {
  llm::ChatEndpoint endpoint{};  // url "" when no model is configured
  bool snips = true;             // snips use the model when it is configured
  bool highlights = false;       // so do the insights step's highlights

  bool enabled() const { return !endpoint.url.empty(); }
};

// Parses the [llm] table of `toml_text` (other tables are ignored) into `out`.
Status apply_llm_toml(std::string_view toml_text, const std::string& source_name, LlmConfig& out);

// The [llm] settings of the file `config` was read from (defaults when there is none), then
// the environment. InvalidInput for a url without a model.
Result<LlmConfig> load_llm_config(const Config& config);

// Points the model at `url` for this run (`--llm URL`); the model is HARK_LLM_MODEL, else the
// configured one. InvalidInput for a URL that is not http(s), or when no model is named.
Status override_llm_url(LlmConfig& config, const std::string& url, std::string_view source);

// The network policy for the language model's client: its host is the administrator's
// choice, so it is allowed even when private (loopback, LAN); no low-speed timeout (a model
// sends nothing until it has written its answer); each request has the endpoint's timeout.
net::Policy llm_http_policy(const LlmConfig& llm, const Config& config);

}  // namespace hark::app
