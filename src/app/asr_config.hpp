// The [asr] table of hark.toml: the speech-to-text services hark sends episodes to when the
// publisher has no transcript. Read by the App itself (config.cpp leaves the table to the
// feature that owns it):
//
//   [asr]
//   language = "auto"          # ISO 639-1 code ("en"), or "auto": the service detects it
//   auto_transcribe = true     # new episodes without a publisher transcript get speech-to-text
//   chunk_seconds = 150        # optional: target chunk length (min_/max_chunk_seconds too)
//   endpoints = [
//     { url = "http://127.0.0.1:8930", kind = "openai", model = "base",
//       api_key_env = "HARK_ASR_KEY", concurrency = 1, timeout_seconds = 600 },
//     { url = "http://gpu2:8080/inference", kind = "whisper.cpp", concurrency = 2 },
//   ]
//
// or, for one service, the shorthand `url`, `kind`, `model`, `api_key` / `api_key_env`,
// `concurrency`, `timeout_seconds` directly in [asr]. `kind` is "openai" (default; POST
// <url>/v1/audio/transcriptions) or "whisper.cpp" (POST <url>/inference). `model` defaults to
// "whisper-1" for OpenAI-kind endpoints (the OpenAI name; local servers accept it too).
// `api_key_env` names an environment variable holding the key, so the key stays out of the
// file; naming a variable that is not set is an error.
//
// Precedence: hark.toml < environment (HARK_ASR_URL: one OpenAI-kind endpoint instead of the
// configured ones, with HARK_ASR_MODEL as its model and HARK_ASR_API_KEY as its key) < the
// command line (`hark process --asr URL`, applied with override_endpoint()). Unknown keys are
// errors, as everywhere in hark.toml. No endpoint: speech-to-text is off and episodes without
// a publisher transcript wait for it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "app/config.hpp"
#include "asr/chunking.hpp"
#include "asr/endpoint.hpp"
#include "core/result.hpp"
#include "net/http_client.hpp"

namespace hark::app {

inline constexpr std::string_view kDefaultAsrModel = "whisper-1";

struct AsrConfig {
  std::vector<asr::Endpoint> endpoints;  // empty: speech-to-text is off
  std::string language = "auto";
  bool auto_transcribe = true;
  asr::ChunkingOptions chunking{};
  std::string source = "[asr]";  // where the endpoints came from, for error messages

  bool enabled() const { return !endpoints.empty(); }
};

// Parses the [asr] table of `toml_text` (other tables are ignored) into `out`.
Status apply_asr_toml(std::string_view toml_text, const std::string& source_name, AsrConfig& out);

// The [asr] settings of the configuration file `config` was read from (defaults when there is
// none), then the environment (HARK_ASR_URL, HARK_ASR_MODEL, HARK_ASR_API_KEY).
Result<AsrConfig> load_asr_config(const Config& config);

// Replaces the endpoints with one OpenAI-kind endpoint at `url` (the --asr flag): its model is
// HARK_ASR_MODEL, else the first configured endpoint's model, else kDefaultAsrModel.
// InvalidInput for a URL that is not http(s).
Status override_endpoint(AsrConfig& config, const std::string& url, std::string_view source);

// The network policy of the HTTP client that speaks to the speech-to-text services: the
// configured endpoints are the administrator's choice, so their hosts are allowed even when
// private (loopback, LAN); everything else is refused as for feeds. No low-speed timeout (a
// service sends nothing while it transcribes); each request has its endpoint's timeout.
net::Policy asr_http_policy(const AsrConfig& asr, const Config& config);

// "host:port" of an http(s) URL (port from the scheme when absent); "" when not http(s).
std::string host_port_of(std::string_view url);

// The policy every AI service client shares (speech-to-text, language model, embeddings):
// the hosts of the configured `urls` are allowed even when private, everything else is
// refused as for feeds; no local files; no low-speed timeout (a service sends nothing while
// it works; each request has its own timeout).
net::Policy service_http_policy(const std::vector<std::string>& urls, const Config& config);

}  // namespace hark::app
