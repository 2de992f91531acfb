// Reading hark.toml: shared by the parsers of its sections (config.cpp, asr_config.cpp,
// server_config.cpp), so parse errors and unreadable files read the same everywhere.
// Internal to app/.
#pragma once

#include <toml++/toml.h>

#include <filesystem>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace hark::app {

// Parses TOML text; a syntax error becomes InvalidInput "<source>:<line>: <description>".
Result<toml::table> parse_toml(std::string_view text, const std::string& source_name);

// The whole file as text; InvalidInput naming the file when it cannot be read.
Result<std::string> read_config_text(const std::filesystem::path& file);

}  // namespace hark::app
