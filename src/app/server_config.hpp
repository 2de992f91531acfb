// The [server] table of hark.toml, read by `hark serve` itself (config.cpp leaves the
// table to the feature that owns it):
//
//   [server]
//   listen = "127.0.0.1:8080"       # address:port; "0.0.0.0:8080" for the LAN
//   web_dir = "/usr/share/hark/web"  # the web player's files
//   refresh_minutes = 60             # refresh every feed this often; 0: never
//   auto_process_recent = 3          # newest new episodes per podcast to process
//   workers = 2                      # job worker threads
//   http_threads = 256               # connections served at once (keep-alive and
//                                    # server-sent events hold one each)
//   allow_private_networks = false   # feeds on the LAN (also [network])
//   secure_cookies = false           # mark the session cookie Secure (behind HTTPS)
//   public_url = "http://127.0.0.1:8080"  # where people reach hark: player and share links
//   clip_encoders = 1                # audio clips cut at once for downloads (a core each)
//
// Precedence: hark.toml < environment (HARK_LISTEN, HARK_WEB_DIR, HARK_PUBLIC_URL,
// HARK_CLIP_ENCODERS) < flags
// (applied by
// the CLI). Unknown keys are errors, as everywhere in hark.toml.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "app/config.hpp"
#include "core/result.hpp"

namespace hark::app {

struct ServerConfig {
  std::string listen = "127.0.0.1:8080";
  std::filesystem::path web_dir;  // "" : the default (see default_web_dir)
  int refresh_minutes = 60;
  int auto_process_recent = 3;
  int workers = 2;
  int http_threads = 256;
  std::optional<bool> allow_private_networks;
  bool secure_cookies = false;
  // Normalised (no trailing slash); links in exports, share intents and feeds start with it.
  std::string public_url = "http://127.0.0.1:8080";
  int clip_encoders = 1;  // clips cut at once for downloads; more wait their turn
};

// Parses the [server] table of `toml_text` (other tables are ignored) into `out`.
Status apply_server_toml(std::string_view toml_text, const std::string& source_name,
                         ServerConfig& out);

// The [server] settings of the configuration file `config` was read from (defaults when
// there is none), then the environment.
Result<ServerConfig> load_server_config(const Config& config);

// Splits "host:port" ("[::1]:8080" for IPv6; a bare port means 127.0.0.1). InvalidInput
// for anything else.
Result<std::pair<std::string, int>> parse_listen(std::string_view listen);

}  // namespace hark::app
