#include "app/toml_input.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace hark::app {

Result<toml::table> parse_toml(std::string_view text, const std::string& source_name) {
  // Debian's toml++ is built with exceptions: parse errors arrive as toml::parse_error.
  try {
    return toml::parse(text, source_name);
  } catch (const toml::parse_error& err) {
    std::ostringstream msg;
    msg << source_name << ":" << err.source().begin.line << ": " << err.description();
    return invalid_input(msg.str());
  }
}

Result<std::string> read_config_text(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return invalid_input("cannot read the configuration file " + file.string());
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::optional<std::string> env_value(const char* name) {
  const char* v = std::getenv(name);
  if (v == nullptr || *v == '\0') return std::nullopt;
  return std::string(v);
}

Error bad_setting(const std::string& source, const std::string& key, const std::string& what) {
  return invalid_input(source + ": '" + key + "' " + what);
}

}  // namespace hark::app
