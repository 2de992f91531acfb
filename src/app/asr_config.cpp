#include "app/asr_config.hpp"

#include <cstdlib>
#include <optional>

#include "app/toml_input.hpp"
#include "core/text.hpp"

namespace hark::app {
namespace {

Status check_url(const std::string& source, const std::string& key, const std::string& url) {
  if (host_port_of(url).empty())
    return bad_setting(source, key, "must be an http:// or https:// URL (got \"" + url + "\")");
  return ok();
}

Status read_seconds(const toml::node& node, const std::string& source, const std::string& key,
                    std::int64_t min_value, Millis& out_ms) {
  const auto v = node.value<std::int64_t>();
  if (!v || *v < min_value || *v > 86'400)
    return bad_setting(source, key,
                       "must be a whole number of seconds ≥ " + std::to_string(min_value));
  out_ms = *v * 1000;
  return ok();
}

// One endpoint's keys (in [asr] itself, or one table of `endpoints`). `prefix` names the table
// in messages ("asr." or "asr.endpoints[1]."). Returns whether any endpoint key was present.
Result<bool> read_endpoint_key(const std::string& key, const toml::node& node,
                               const std::string& source, const std::string& prefix,
                               asr::Endpoint& e) {
  const std::string name = prefix + key;
  if (key == "url") {
    const auto v = node.value<std::string>();
    if (!v) return bad_setting(source, name, "must be a URL");
    e.url = std::string(text::trim(*v));
    HARK_TRY(check_url(source, name, e.url));
  } else if (key == "kind") {
    const auto v = node.value<std::string>();
    const auto kind = text::to_lower_ascii(v.value_or(""));
    if (kind == "openai") {
      e.kind = asr::EngineKind::OpenAI;
    } else if (kind == "whisper.cpp" || kind == "whispercpp" || kind == "whisper-cpp") {
      e.kind = asr::EngineKind::WhisperCpp;
    } else {
      return bad_setting(source, name, "must be \"openai\" or \"whisper.cpp\"");
    }
  } else if (key == "model") {
    const auto v = node.value<std::string>();
    if (!v) return bad_setting(source, name, "must be a model name");
    e.model = *v;
  } else if (key == "api_key") {
    const auto v = node.value<std::string>();
    if (!v) return bad_setting(source, name, "must be a string");
    e.api_key = *v;
  } else if (key == "api_key_env") {
    const auto v = node.value<std::string>();
    if (!v || v->empty()) return bad_setting(source, name, "must name an environment variable");
    auto value = env_value(v->c_str());
    if (!value)
      return bad_setting(
          source, name,
          "names the environment variable " + *v +
              ", which is not set (set it to the service's API key, or remove the setting)");
    e.api_key = *value;
  } else if (key == "concurrency") {
    const auto v = node.value<std::int64_t>();
    if (!v || *v < 1 || *v > 256)
      return bad_setting(source, name, "must be a whole number from 1 to 256");
    e.concurrency = static_cast<int>(*v);
  } else if (key == "timeout_seconds") {
    HARK_TRY(read_seconds(node, source, name, 1, e.timeout_ms));
  } else {
    return false;
  }
  return true;
}

void fill_defaults(asr::Endpoint& e) {
  if (e.model.empty() && e.kind == asr::EngineKind::OpenAI) e.model = std::string(kDefaultAsrModel);
}

}  // namespace

std::string host_port_of(std::string_view url) {
  const auto lower = text::to_lower_ascii(text::trim(url));
  std::string_view rest = lower;
  std::string port;
  if (rest.starts_with("http://")) {
    rest.remove_prefix(7);
    port = "80";
  } else if (rest.starts_with("https://")) {
    rest.remove_prefix(8);
    port = "443";
  } else {
    return {};
  }
  auto authority = rest.substr(0, rest.find_first_of("/?#"));
  if (const auto at = authority.rfind('@'); at != std::string_view::npos)
    authority.remove_prefix(at + 1);
  if (authority.empty()) return {};
  std::string_view host = authority;
  if (authority.starts_with('[')) {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) return {};
    host = authority.substr(0, close + 1);
    if (authority.size() > close + 2 && authority[close + 1] == ':')
      port = std::string(authority.substr(close + 2));
  } else if (const auto colon = authority.rfind(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port = std::string(authority.substr(colon + 1));
  }
  if (host.empty() || port.empty()) return {};
  return std::string(host) + ":" + port;
}

Status apply_asr_toml(std::string_view toml_text, const std::string& source_name, AsrConfig& out) {
  auto parsed_or = parse_toml(toml_text, source_name);
  if (!parsed_or) return parsed_or.error();
  toml::table parsed = std::move(*parsed_or);
  const auto* table = parsed["asr"].as_table();
  if (table == nullptr) {
    if (parsed.contains("asr")) return invalid_input(source_name + ": 'asr' must be a table");
    return ok();
  }
  asr::Endpoint shorthand;
  bool has_shorthand = false;
  bool has_list = false;
  std::vector<asr::Endpoint> listed;
  for (const auto& [key, node] : *table) {
    const std::string k(key.str());
    if (k == "language") {
      const auto v = node.value<std::string>();
      const auto lang = text::to_lower_ascii(text::trim(v.value_or("?")));
      if (lang != "auto" &&
          (lang.size() < 2 || lang.size() > 3 ||
           lang.find_first_not_of("abcdefghijklmnopqrstuvwxyz") != std::string::npos))
        return bad_setting(source_name, "asr.language",
                           "must be \"auto\" or an ISO 639-1 code such as \"en\"");
      out.language = lang;
    } else if (k == "auto_transcribe") {
      const auto v = node.value<bool>();
      if (!v) return bad_setting(source_name, "asr.auto_transcribe", "must be true or false");
      out.auto_transcribe = *v;
    } else if (k == "chunk_seconds") {
      HARK_TRY(read_seconds(node, source_name, "asr." + k, 10, out.chunking.target_ms));
    } else if (k == "min_chunk_seconds") {
      HARK_TRY(read_seconds(node, source_name, "asr." + k, 5, out.chunking.min_ms));
    } else if (k == "max_chunk_seconds") {
      HARK_TRY(read_seconds(node, source_name, "asr." + k, 10, out.chunking.max_ms));
    } else if (k == "endpoints") {
      const auto* arr = node.as_array();
      if (arr == nullptr)
        return bad_setting(source_name, "asr.endpoints",
                           "must be a list of tables ({ url = \"...\", ... })");
      has_list = true;
      for (std::size_t i = 0; i < arr->size(); ++i) {
        const auto* t = (*arr)[i].as_table();
        const std::string prefix = "asr.endpoints[" + std::to_string(i + 1) + "].";
        if (t == nullptr)
          return bad_setting(source_name, prefix.substr(0, prefix.size() - 1), "must be a table");
        asr::Endpoint e;
        for (const auto& [ek, en] : *t) {
          const std::string name(ek.str());
          auto known = read_endpoint_key(name, en, source_name, prefix, e);
          if (!known) return known.error();
          if (!*known)
            return invalid_input(source_name + ": unknown setting '" + prefix + name +
                                 "' (see README.md for the settings hark knows)");
        }
        if (e.url.empty()) return bad_setting(source_name, prefix + "url", "is required");
        fill_defaults(e);
        listed.push_back(std::move(e));
      }
    } else {
      auto known = read_endpoint_key(k, node, source_name, "asr.", shorthand);
      if (!known) return known.error();
      if (!*known)
        return invalid_input(source_name + ": unknown setting 'asr." + k +
                             "' (see README.md for the settings hark knows)");
      has_shorthand = true;
    }
  }
  if (has_list && has_shorthand)
    return invalid_input(
        source_name +
        ": [asr] has both 'endpoints' and endpoint settings of its own (url, kind, "
        "model, ...); put every endpoint in 'endpoints'");
  if (has_shorthand) {
    if (shorthand.url.empty()) return bad_setting(source_name, "asr.url", "is required");
    fill_defaults(shorthand);
    listed.push_back(std::move(shorthand));
  }
  if (has_list || has_shorthand) {
    out.endpoints = std::move(listed);
    out.source = source_name + " [asr]";
  }
  if (out.chunking.min_ms > out.chunking.max_ms)
    return invalid_input(source_name +
                         ": 'asr.min_chunk_seconds' is larger than 'asr.max_chunk_seconds'");
  if (out.chunking.target_ms < out.chunking.min_ms ||
      out.chunking.target_ms > out.chunking.max_ms) {
    // A target alone moves the window with it.
    out.chunking.min_ms = std::min(out.chunking.min_ms, out.chunking.target_ms * 4 / 5);
    out.chunking.max_ms = std::max(out.chunking.max_ms, out.chunking.target_ms * 6 / 5);
  }
  return ok();
}

Status override_endpoint(AsrConfig& config, const std::string& url, std::string_view source) {
  const std::string trimmed(text::trim(url));
  if (host_port_of(trimmed).empty())
    return invalid_input(std::string(source) + ": \"" + url +
                         "\" is not an http:// or https:// URL of a speech-to-text service");
  asr::Endpoint e;
  e.url = trimmed;
  e.kind = asr::EngineKind::OpenAI;
  if (auto model = env_value("HARK_ASR_MODEL")) {
    e.model = *model;
  } else if (!config.endpoints.empty() && !config.endpoints.front().model.empty()) {
    e.model = config.endpoints.front().model;
  } else {
    e.model = std::string(kDefaultAsrModel);
  }
  if (auto key = env_value("HARK_ASR_API_KEY")) e.api_key = *key;
  if (!config.endpoints.empty()) e.timeout_ms = config.endpoints.front().timeout_ms;
  config.endpoints = {std::move(e)};
  config.source = std::string(source);
  return ok();
}

Result<AsrConfig> load_asr_config(const Config& config) {
  AsrConfig out;
  if (!config.config_file.empty()) {
    auto text = read_config_text(config.config_file);
    if (!text) return text.error();
    HARK_TRY(apply_asr_toml(*text, config.config_file.string(), out));
  }
  if (auto url = env_value("HARK_ASR_URL")) HARK_TRY(override_endpoint(out, *url, "HARK_ASR_URL"));
  return out;
}

net::Policy service_http_policy(const std::vector<std::string>& urls, const Config& config) {
  net::Policy p;
  p.allow_private_networks = false;
  p.allow_local_files = false;
  for (const auto& url : urls)
    if (auto hp = host_port_of(url); !hp.empty()) p.allowed_private_hosts.push_back(hp);
  p.connect_timeout_ms = config.connect_timeout_seconds * 1000;
  p.low_speed_timeout_ms = 0;
  p.user_agent = config.user_agent;
  return p;
}

net::Policy asr_http_policy(const AsrConfig& asr, const Config& config) {
  std::vector<std::string> urls;
  for (const auto& e : asr.endpoints) urls.push_back(e.url);
  return service_http_policy(urls, config);
}

}  // namespace hark::app
