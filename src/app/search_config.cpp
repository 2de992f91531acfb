#include "app/search_config.hpp"

#include <cstdlib>
#include <optional>

#include "app/asr_config.hpp"
#include "app/toml_input.hpp"
#include "core/text.hpp"

namespace hark::app {
namespace {

Status apply_embeddings(const toml::table& table, const std::string& source, SearchConfig& out) {
  auto& e = out.embeddings;
  for (const auto& [key, node] : table) {
    const std::string k(key.str());
    const std::string name = "embeddings." + k;
    if (k == "url") {
      const auto v = node.value<std::string>();
      if (!v || host_port_of(text::trim(*v)).empty())
        return bad_setting(source, name, "must be an http:// or https:// URL");
      e.url = std::string(text::trim(*v));
    } else if (k == "model") {
      const auto v = node.value<std::string>();
      if (!v || v->empty()) return bad_setting(source, name, "must be a model name");
      e.model = *v;
    } else if (k == "api_key") {
      const auto v = node.value<std::string>();
      if (!v) return bad_setting(source, name, "must be a string");
      e.api_key = *v;
    } else if (k == "api_key_env") {
      const auto v = node.value<std::string>();
      if (!v) return bad_setting(source, name, "must name an environment variable");
      auto key_value = env_value(v->c_str());
      if (!key_value)
        return bad_setting(source, name, "names " + *v + ", which is not set in the environment");
      e.api_key = *key_value;
    } else if (k == "query_prefix" || k == "passage_prefix") {
      const auto v = node.value<std::string>();
      if (!v) return bad_setting(source, name, "must be a string (\"\" for none)");
      (k == "query_prefix" ? e.query_prefix : e.passage_prefix) = *v;
    } else if (k == "batch_size") {
      const auto v = node.value<std::int64_t>();
      if (!v || *v < 1 || *v > 2048)
        return bad_setting(source, name, "must be a whole number 1–2048");
      e.batch_size = static_cast<int>(*v);
    } else if (k == "timeout_seconds") {
      const auto v = node.value<std::int64_t>();
      if (!v || *v < 1 || *v > 3600)
        return bad_setting(source, name, "must be a whole number 1–3600");
      e.timeout_ms = *v * 1000;
    } else {
      return invalid_input(source + ": unknown setting '" + name +
                           "' (see README.md for the settings hark knows)");
    }
  }
  if (!e.url.empty()) e.source = source + " [embeddings]";
  return ok();
}

Status apply_search(const toml::table& table, const std::string& source, SearchConfig& out) {
  for (const auto& [key, node] : table) {
    const std::string k(key.str());
    const std::string name = "search." + k;
    if (k == "lexical_weight" || k == "semantic_weight") {
      const auto v = node.value<double>();
      if (!v || *v < 0 || *v > 100)
        return bad_setting(source, name, "must be a number from 0 to 100");
      (k == "lexical_weight" ? out.lexical_weight : out.semantic_weight) = *v;
    } else if (k == "ef_search") {
      const auto v = node.value<std::int64_t>();
      if (!v || *v < 10 || *v > 10'000)
        return bad_setting(source, name, "must be a whole number 10–10000");
      out.ef_search = static_cast<int>(*v);
    } else if (k == "rank_window") {
      const auto v = node.value<std::int64_t>();
      if (!v || (*v != 0 && *v < 100) || *v > 10'000'000)
        return bad_setting(source, name,
                           "must be 0 (rank every match) or a whole number 100–10000000");
      out.rank_window = static_cast<int>(*v);
    } else {
      return invalid_input(source + ": unknown setting '" + name +
                           "' (see README.md for the settings hark knows)");
    }
  }
  if (out.lexical_weight == 0 && out.semantic_weight == 0)
    return invalid_input(source +
                         ": 'search.lexical_weight' and 'search.semantic_weight' cannot "
                         "both be 0");
  return ok();
}

}  // namespace

Status apply_search_toml(std::string_view toml_text, const std::string& source_name,
                         SearchConfig& out) {
  auto parsed = parse_toml(toml_text, source_name);
  if (!parsed) return parsed.error();
  if (const auto* node = parsed->get("embeddings")) {
    const auto* table = node->as_table();
    if (table == nullptr) return invalid_input(source_name + ": 'embeddings' must be a table");
    HARK_TRY(apply_embeddings(*table, source_name, out));
  }
  if (const auto* node = parsed->get("search")) {
    const auto* table = node->as_table();
    if (table == nullptr) return invalid_input(source_name + ": 'search' must be a table");
    HARK_TRY(apply_search(*table, source_name, out));
  }
  return ok();
}

Result<SearchConfig> load_search_config(const Config& config) {
  SearchConfig out;
  out.embeddings.model = std::string(kDefaultEmbeddingModel);
  if (!config.config_file.empty()) {
    auto text = read_config_text(config.config_file);
    if (!text) return text.error();
    HARK_TRY(apply_search_toml(*text, config.config_file.string(), out));
  }
  if (auto url = env_value("HARK_EMBEDDINGS_URL")) {
    if (host_port_of(text::trim(*url)).empty())
      return invalid_input("HARK_EMBEDDINGS_URL: \"" + *url +
                           "\" is not an http:// or https:// URL of an embedding service");
    out.embeddings.url = std::string(text::trim(*url));
    out.embeddings.source = "HARK_EMBEDDINGS_URL";
    if (auto model = env_value("HARK_EMBEDDINGS_MODEL")) out.embeddings.model = *model;
    if (auto key = env_value("HARK_EMBEDDINGS_API_KEY")) out.embeddings.api_key = *key;
  }
  return out;
}

net::Policy embeddings_http_policy(const SearchConfig& search, const Config& config) {
  return service_http_policy({search.embeddings.url}, config);
}

}  // namespace hark::app
