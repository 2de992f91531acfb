// hark's configuration: hark.toml < environment (HARK_*) < command-line flags.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "net/http_client.hpp"

namespace hark::app {

struct Config {
  std::filesystem::path data_dir;     // everything hark stores lives here
  std::filesystem::path config_file;  // the hark.toml that was read ("" if none)

  // [network]
  // nullopt: the front end decides (the CLI allows private networks, the server won't).
  std::optional<bool> allow_private_networks;
  std::vector<std::string> allowed_hosts;  // LAN hosts allowed even when private is refused
  long timeout_seconds = 60;
  long connect_timeout_seconds = 10;
  std::int64_t max_feed_mb = 64;
  std::string user_agent;

  // [refresh]
  int refresh_concurrency = 16;  // feeds fetched at once
  int refresh_per_host = 4;      // at most this many at once from one host

  std::filesystem::path database_path() const { return data_dir / "hark.db"; }
  std::filesystem::path media_dir() const { return data_dir / "media"; }
};

struct ConfigSources {
  std::optional<std::filesystem::path> data_dir_flag;     // --data
  std::optional<std::filesystem::path> config_file_flag;  // --config
};

// Resolves the data directory (--data, else HARK_DATA, else $XDG_DATA_HOME/hark, else
// ~/.local/share/hark) and reads the configuration file (--config, else HARK_CONFIG, else
// <data>/hark.toml when present). Environment overrides: HARK_ALLOW_PRIVATE_NETWORKS.
// Unknown keys are errors, so a typo does not silently do nothing.
Result<Config> load_config(const ConfigSources& sources);

// Parses hark.toml text into `config` (exposed for tests).
Status apply_toml(std::string_view toml_text, const std::string& source_name, Config& config);

// The network policy for a front end. `local_admin` is true for the CLI.
net::Policy make_policy(const Config& config, bool local_admin);

}  // namespace hark::app
