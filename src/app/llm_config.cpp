#include "app/llm_config.hpp"

#include <cstdlib>

#include "app/asr_config.hpp"
#include "app/toml_input.hpp"
#include "core/text.hpp"

namespace hark::app {
namespace {

Result<Millis> seconds(std::int64_t v, const std::string& what) {
  if (v < 1 || v > 3600)
    return invalid_input(what + " must be a whole number of seconds, 1 to 3600");
  return v * 1000;
}

Status require_model(const LlmConfig& c, const std::string& where) {
  if (c.enabled() && text::trim(c.endpoint.model).empty())
    return invalid_input(where +
                         ": a language model URL is set but no model: set model in [llm] of "
                         "hark.toml or HARK_LLM_MODEL (e.g. \"smollm2-135m-instruct\" for "
                         "scripts/llm-service, \"qwen2.5:1.5b\" for Ollama)");
  return ok();
}

}  // namespace

Status apply_llm_toml(std::string_view toml_text, const std::string& source_name, LlmConfig& out) {
  auto parsed_or = parse_toml(toml_text, source_name);
  if (!parsed_or) return parsed_or.error();
  toml::table parsed = std::move(*parsed_or);
  const auto* table = parsed["llm"].as_table();
  if (table == nullptr) {
    if (parsed.contains("llm")) return invalid_input(source_name + ": 'llm' must be a table");
    return ok();
  }
  for (const auto& [key, node] : *table) {
    const std::string k(key.str());
    if (k == "url") {
      const auto v = node.value<std::string>();
      const std::string url{text::trim(v.value_or(""))};
      if (host_port_of(url).empty())
        return bad_setting(source_name, "llm." + std::string(k),
                           "must be an http:// or https:// URL (the API base, e.g. "
                           "\"http://localhost:11434/v1\")");
      out.endpoint.url = url;
    } else if (k == "model") {
      const auto v = node.value<std::string>();
      if (!v || text::trim(*v).empty())
        return bad_setting(source_name, "llm." + std::string(k), "must be a model name");
      out.endpoint.model = std::string(text::trim(*v));
    } else if (k == "api_key") {
      const auto v = node.value<std::string>();
      if (!v) return bad_setting(source_name, "llm." + std::string(k), "must be a string");
      out.endpoint.api_key = *v;
    } else if (k == "api_key_env") {
      const auto v = node.value<std::string>();
      if (!v || v->empty())
        return bad_setting(source_name, "llm." + std::string(k),
                           "must name an environment variable");
      auto value = env_value(v->c_str());
      if (!value)
        return bad_setting(source_name, "llm." + std::string(k),
                           "names the environment variable " + *v +
                               ", which is not set (set it to the service's API key, or remove the "
                               "setting)");
      out.endpoint.api_key = *value;
    } else if (k == "timeout_seconds") {
      const auto v = node.value<std::int64_t>();
      auto ms = seconds(v.value_or(0), source_name + ": 'llm.timeout_seconds'");
      if (!ms) return ms.error();
      out.endpoint.timeout_ms = *ms;
    } else if (k == "snips" || k == "highlights") {
      const auto v = node.value<bool>();
      if (!v) return bad_setting(source_name, "llm." + std::string(k), "must be true or false");
      (k == "snips" ? out.snips : out.highlights) = *v;
    } else {
      return invalid_input(source_name + ": unknown setting 'llm." + k +
                           "' (see README.md for the settings hark knows)");
    }
  }
  out.endpoint.source = source_name + " [llm]";
  return require_model(out, source_name);
}

Status override_llm_url(LlmConfig& config, const std::string& url, std::string_view source) {
  const std::string trimmed(text::trim(url));
  if (host_port_of(trimmed).empty())
    return invalid_input(std::string(source) + ": \"" + url +
                         "\" is not an http:// or https:// URL of a language model API");
  config.endpoint.url = trimmed;
  if (auto model = env_value("HARK_LLM_MODEL")) config.endpoint.model = *model;
  if (auto key = env_value("HARK_LLM_API_KEY")) config.endpoint.api_key = *key;
  config.endpoint.source = std::string(source);
  return require_model(config, std::string(source));
}

Result<LlmConfig> load_llm_config(const Config& config) {
  LlmConfig out;
  if (!config.config_file.empty()) {
    auto text = read_config_text(config.config_file);
    if (!text) return text.error();
    HARK_TRY(apply_llm_toml(*text, config.config_file.string(), out));
  }
  if (auto seconds_text = env_value("HARK_LLM_TIMEOUT_SECONDS")) {
    std::int64_t v = 0;
    try {
      v = std::stoll(*seconds_text);
    } catch (const std::exception&) {
    }
    auto ms = seconds(v, "HARK_LLM_TIMEOUT_SECONDS");
    if (!ms) return ms.error();
    out.endpoint.timeout_ms = *ms;
  }
  if (auto url = env_value("HARK_LLM_URL")) {
    HARK_TRY(override_llm_url(out, *url, "HARK_LLM_URL"));
  } else {
    if (auto model = env_value("HARK_LLM_MODEL")) out.endpoint.model = *model;
    if (auto key = env_value("HARK_LLM_API_KEY")) out.endpoint.api_key = *key;
  }
  return out;
}

net::Policy llm_http_policy(const LlmConfig& llm, const Config& config) {
  net::Policy p = service_http_policy({llm.endpoint.url}, config);
  p.max_body_bytes = 8 << 20;
  return p;
}

}  // namespace hark::app
