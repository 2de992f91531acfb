#include "app/export_config.hpp"

#include <cstdlib>

#include "app/toml_input.hpp"

namespace hark::app {
namespace {

Status read_string(const toml::node& node, const std::string& source, const std::string& key,
                   std::string& out) {
  const auto v = node.value<std::string>();
  if (!v) return invalid_input(source + ": 'export." + key + "' must be a string");
  out = *v;
  return ok();
}

std::filesystem::path expand_home(const std::string& path) {
  if (path.starts_with("~/"))
    if (const char* home = std::getenv("HOME"); home && *home)
      return std::filesystem::path(home) / path.substr(2);
  return path;
}

Status unknown(const std::string& source, const std::string& key) {
  return invalid_input(source + ": unknown setting 'export." + key +
                       "' (see README.md for the settings hark knows)");
}

}  // namespace

Status apply_export_toml(std::string_view toml_text, const std::string& source_name,
                         ExportConfig& out) {
  auto parsed = parse_toml(toml_text, source_name);
  if (!parsed) return parsed.error();
  const auto* exp = (*parsed)["export"].as_table();
  if (exp == nullptr) return ok();
  for (const auto& [section_key, section_node] : *exp) {
    const std::string section(section_key.str());
    const auto* table = section_node.as_table();
    if (table == nullptr) return unknown(source_name, section);
    for (const auto& [key, node] : *table) {
      const std::string k(key.str());
      const std::string name = section + "." + k;
      std::string value;
      HARK_TRY(read_string(node, source_name, name, value));
      if (name == "markdown.folder") {
        out.markdown_folder = expand_home(value);
      } else if (name == "markdown.template") {
        out.markdown_template = expand_home(value);
      } else if (name == "readwise.token") {
        out.readwise_token = value;
      } else if (name == "readwise.base_url") {
        out.readwise_base_url = value;
      } else if (name == "notion.token") {
        out.notion_token = value;
      } else if (name == "notion.database_id") {
        out.notion_database_id = value;
      } else if (name == "notion.base_url") {
        out.notion_base_url = value;
      } else if (name == "notion.page_per") {
        if (value != "snip" && value != "episode")
          return invalid_input(source_name +
                               ": 'export.notion.page_per' must be \"snip\" or "
                               "\"episode\"");
        out.notion_page_per_episode = value == "episode";
      } else {
        return unknown(source_name, name);
      }
    }
  }
  return ok();
}

Result<ExportConfig> load_export_config(const Config& config) {
  ExportConfig out;
  if (!config.config_file.empty()) {
    auto text = read_config_text(config.config_file);
    if (!text) return text.error();
    HARK_TRY(apply_export_toml(*text, config.config_file.string(), out));
  }
  if (const char* v = std::getenv("HARK_READWISE_TOKEN"); v && *v) out.readwise_token = v;
  if (const char* v = std::getenv("HARK_NOTION_TOKEN"); v && *v) out.notion_token = v;
  if (const char* v = std::getenv("HARK_NOTION_DATABASE"); v && *v) out.notion_database_id = v;
  return out;
}

}  // namespace hark::app
