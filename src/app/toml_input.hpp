// Reading hark.toml: shared by the parsers of its sections (config.cpp, asr_config.cpp,
// llm_config.cpp, search_config.cpp, server_config.cpp), so parse errors and unreadable files read
// the same everywhere. Internal to app/.
#pragma once

#include <toml++/toml.h>

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace hark::app {

// Parses TOML text; a syntax error becomes InvalidInput "<source>:<line>: <description>".
Result<toml::table> parse_toml(std::string_view text, const std::string& source_name);

// An environment variable's value; nullopt when it is unset or empty.
std::optional<std::string> env_value(const char* name);

// The one shape of a bad setting: InvalidInput "<source>: '<key>' <what>".
Error bad_setting(const std::string& source, const std::string& key, const std::string& what);

// The whole file as text; InvalidInput naming the file when it cannot be read.
Result<std::string> read_config_text(const std::filesystem::path& file);

}  // namespace hark::app
