#include "app/server_config.hpp"

#include <charconv>
#include <cstdlib>

#include "app/toml_input.hpp"
#include "export/links.hpp"

namespace hark::app {
namespace {

Status read_count(const toml::node& node, const std::string& source, std::string_view key,
                  int min_value, int& out) {
  const auto v = node.value<std::int64_t>();
  if (!v || *v < min_value || *v > 1'000'000)
    return invalid_input(source + ": 'server." + std::string(key) + "' must be a whole number ≥ " +
                         std::to_string(min_value));
  out = static_cast<int>(*v);
  return ok();
}

Status read_bool(const toml::node& node, const std::string& source, std::string_view key,
                 bool& out) {
  const auto v = node.value<bool>();
  if (!v)
    return invalid_input(source + ": 'server." + std::string(key) + "' must be true or false");
  out = *v;
  return ok();
}

}  // namespace

Status apply_server_toml(std::string_view toml_text, const std::string& source_name,
                         ServerConfig& out) {
  auto parsed_or = parse_toml(toml_text, source_name);
  if (!parsed_or) return parsed_or.error();
  toml::table parsed = std::move(*parsed_or);
  const auto* server = parsed["server"].as_table();
  if (server == nullptr) return ok();
  for (const auto& [key, node] : *server) {
    const auto k = key.str();
    if (k == "listen") {
      const auto v = node.value<std::string>();
      if (!v || !parse_listen(*v))
        return invalid_input(source_name + ": 'server.listen' must look like \"127.0.0.1:8080\"");
      out.listen = *v;
    } else if (k == "web_dir") {
      const auto v = node.value<std::string>();
      if (!v) return invalid_input(source_name + ": 'server.web_dir' must be a path");
      out.web_dir = *v;
    } else if (k == "refresh_minutes") {
      HARK_TRY(read_count(node, source_name, k, 0, out.refresh_minutes));
    } else if (k == "auto_process_recent") {
      HARK_TRY(read_count(node, source_name, k, 0, out.auto_process_recent));
    } else if (k == "workers") {
      HARK_TRY(read_count(node, source_name, k, 1, out.workers));
    } else if (k == "clip_encoders") {
      int n = 0;
      HARK_TRY(read_count(node, source_name, k, 1, n));
      if (n > 64) return bad_setting(source_name, "server.clip_encoders", "must be at most 64");
      out.clip_encoders = n;
    } else if (k == "http_threads") {
      HARK_TRY(read_count(node, source_name, k, 1, out.http_threads));
    } else if (k == "allow_private_networks") {
      bool b = false;
      HARK_TRY(read_bool(node, source_name, k, b));
      out.allow_private_networks = b;
    } else if (k == "secure_cookies") {
      HARK_TRY(read_bool(node, source_name, k, out.secure_cookies));
    } else if (k == "public_url") {
      const auto v = node.value<std::string>();
      auto url = exports::normalize_public_url(v ? *v : std::string());
      if (!url) return url.error().with_context(source_name + ": 'server.public_url'");
      out.public_url = std::move(*url);
    } else {
      return invalid_input(source_name + ": unknown setting 'server." + std::string(k) +
                           "' (see README.md for the settings hark knows)");
    }
  }
  return ok();
}

Result<ServerConfig> load_server_config(const Config& config) {
  ServerConfig out;
  if (!config.config_file.empty()) {
    auto text = read_config_text(config.config_file);
    if (!text) return text.error();
    HARK_TRY(apply_server_toml(*text, config.config_file.string(), out));
  }
  if (const char* v = std::getenv("HARK_LISTEN"); v && *v) {
    if (!parse_listen(v))
      return invalid_input(std::string("HARK_LISTEN must look like 127.0.0.1:8080, not '") + v +
                           "'");
    out.listen = v;
  }
  if (const char* v = std::getenv("HARK_WEB_DIR"); v && *v) out.web_dir = v;
  if (const auto v = env_value("HARK_CLIP_ENCODERS")) {
    int n = 0;
    const auto [ptr, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
    if (ec != std::errc() || ptr != v->data() + v->size() || n < 1 || n > 64)
      return bad_setting("the environment", "HARK_CLIP_ENCODERS",
                         "must be a whole number from 1 to 64, not '" + *v + "'");
    out.clip_encoders = n;
  }
  if (const char* v = std::getenv("HARK_PUBLIC_URL"); v && *v) {
    auto url = exports::normalize_public_url(v);
    if (!url) return url.error().with_context("HARK_PUBLIC_URL");
    out.public_url = std::move(*url);
  }
  return out;
}

Result<std::pair<std::string, int>> parse_listen(std::string_view listen) {
  std::string host = "127.0.0.1";
  std::string_view port_text = listen;
  if (!listen.empty() && listen.front() == '[') {
    const auto close = listen.find("]:");
    if (close == std::string_view::npos) return invalid_input("bad listen address");
    host = std::string(listen.substr(1, close - 1));
    port_text = listen.substr(close + 2);
  } else if (const auto colon = listen.rfind(':'); colon != std::string_view::npos) {
    host = std::string(listen.substr(0, colon));
    port_text = listen.substr(colon + 1);
  }
  int port = -1;
  const auto [ptr, ec] =
      std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (host.empty() || ec != std::errc() || ptr != port_text.data() + port_text.size() || port < 0 ||
      port > 65535)
    return invalid_input("'" + std::string(listen) +
                         "' is not an address:port such as 127.0.0.1:8080");
  return std::make_pair(host, port);
}

}  // namespace hark::app
