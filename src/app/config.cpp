#include "app/config.hpp"

#include <cstdlib>

#include "app/toml_input.hpp"
#include "core/text.hpp"

namespace hark::app {
namespace {

std::filesystem::path default_data_dir() {
  if (auto xdg = env_value("XDG_DATA_HOME")) return std::filesystem::path(*xdg) / "hark";
  if (auto home = env_value("HOME"))
    return std::filesystem::path(*home) / ".local" / "share" / "hark";
  return std::filesystem::current_path() / "hark-data";
}

std::optional<bool> parse_bool(std::string_view v) {
  const auto l = text::to_lower_ascii(text::trim(v));
  if (l == "1" || l == "true" || l == "yes" || l == "on") return true;
  if (l == "0" || l == "false" || l == "no" || l == "off") return false;
  return std::nullopt;
}

Status unknown_key(const std::string& source, std::string_view table, std::string_view key) {
  return invalid_input(source + ": unknown setting '" + std::string(table) + "." +
                       std::string(key) + "' (see README.md for the settings hark knows)");
}

template <typename T>
Status read_int(const toml::node& node, const std::string& source, std::string_view key, T& out,
                T min_value) {
  const auto v = node.value<std::int64_t>();
  if (!v || *v < static_cast<std::int64_t>(min_value))
    return invalid_input(source + ": '" + std::string(key) + "' must be a whole number ≥ " +
                         std::to_string(min_value));
  out = static_cast<T>(*v);
  return ok();
}

Status apply_network(const toml::table& t, const std::string& source, Config& config) {
  for (const auto& [key, node] : t) {
    const auto k = key.str();
    if (k == "allow_private_networks") {
      const auto v = node.value<bool>();
      if (!v)
        return invalid_input(source + ": 'network.allow_private_networks' must be true or false");
      config.allow_private_networks = *v;
    } else if (k == "allowed_hosts") {
      const auto* arr = node.as_array();
      if (arr == nullptr)
        return invalid_input(source + ": 'network.allowed_hosts' must be a list of host names");
      config.allowed_hosts.clear();
      for (const auto& h : *arr) {
        const auto s = h.value<std::string>();
        if (!s) return invalid_input(source + ": 'network.allowed_hosts' must contain strings");
        config.allowed_hosts.push_back(*s);
      }
    } else if (k == "timeout_seconds") {
      HARK_TRY(read_int(node, source, "network.timeout_seconds", config.timeout_seconds, 1L));
    } else if (k == "connect_timeout_seconds") {
      HARK_TRY(read_int(node, source, "network.connect_timeout_seconds",
                        config.connect_timeout_seconds, 1L));
    } else if (k == "max_feed_mb") {
      HARK_TRY(read_int(node, source, "network.max_feed_mb", config.max_feed_mb, std::int64_t{1}));
    } else if (k == "user_agent") {
      config.user_agent = node.value<std::string>().value_or("");
    } else {
      return unknown_key(source, "network", k);
    }
  }
  return ok();
}

Status apply_refresh(const toml::table& t, const std::string& source, Config& config) {
  for (const auto& [key, node] : t) {
    const auto k = key.str();
    if (k == "concurrency") {
      HARK_TRY(read_int(node, source, "refresh.concurrency", config.refresh_concurrency, 1));
    } else if (k == "per_host") {
      HARK_TRY(read_int(node, source, "refresh.per_host", config.refresh_per_host, 1));
    } else {
      return unknown_key(source, "refresh", k);
    }
  }
  return ok();
}

}  // namespace

Status apply_toml(std::string_view toml_text, const std::string& source_name, Config& config) {
  auto parsed_or = parse_toml(toml_text, source_name);
  if (!parsed_or) return parsed_or.error();
  toml::table parsed = std::move(*parsed_or);
  for (const auto& [key, node] : parsed) {
    const auto k = key.str();
    const auto* table = node.as_table();
    if (k == "network" && table) {
      HARK_TRY(apply_network(*table, source_name, config));
    } else if (k == "refresh" && table) {
      HARK_TRY(apply_refresh(*table, source_name, config));
    } else if (k == "asr" || k == "llm" || k == "embeddings" || k == "search" || k == "server" ||
               k == "export") {
      // Sections owned by features that read them themselves.
    } else {
      return invalid_input(source_name + ": unknown section or setting '" + std::string(k) + "'");
    }
  }
  return ok();
}

Result<Config> load_config(const ConfigSources& sources) {
  Config config;
  if (sources.data_dir_flag)
    config.data_dir = *sources.data_dir_flag;
  else if (auto d = env_value("HARK_DATA"))
    config.data_dir = *d;
  else
    config.data_dir = default_data_dir();

  std::filesystem::path file;
  bool required = true;
  if (sources.config_file_flag)
    file = *sources.config_file_flag;
  else if (auto c = env_value("HARK_CONFIG"))
    file = *c;
  else {
    file = config.data_dir / "hark.toml";
    required = false;
  }
  std::error_code ec;
  if (std::filesystem::exists(file, ec)) {
    auto text = read_config_text(file);
    if (!text) return text.error();
    HARK_TRY(apply_toml(*text, file.string(), config));
    config.config_file = file;
  } else if (required) {
    return not_found("the configuration file " + file.string() + " does not exist");
  }

  if (auto v = env_value("HARK_ALLOW_PRIVATE_NETWORKS")) {
    const auto b = parse_bool(*v);
    if (!b)
      return invalid_input("HARK_ALLOW_PRIVATE_NETWORKS must be true or false, not '" + *v + "'");
    config.allow_private_networks = *b;
  }
  return config;
}

net::Policy make_policy(const Config& config, bool local_admin) {
  net::Policy p;
  p.allow_private_networks = config.allow_private_networks.value_or(local_admin);
  p.allow_local_files = local_admin;
  p.allowed_private_hosts = config.allowed_hosts;
  p.timeout_ms = config.timeout_seconds * 1000;
  p.connect_timeout_ms = config.connect_timeout_seconds * 1000;
  p.max_body_bytes = config.max_feed_mb << 20;
  p.user_agent = config.user_agent;
  return p;
}

}  // namespace hark::app
