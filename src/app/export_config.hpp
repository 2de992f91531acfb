// The [export] tables of hark.toml: where snips are sent.
//
//   [export.markdown]
//   folder = "~/Obsidian/Podcasts"    # default for `hark export markdown` (--out wins)
//   template = "~/.config/hark/note.md"  # the note template (--template wins)
//
//   [export.readwise]
//   token = "..."                     # or HARK_READWISE_TOKEN (readwise.io/access_token)
//   base_url = "https://readwise.io"
//
//   [export.notion]
//   token = "secret_..."              # or HARK_NOTION_TOKEN (an internal integration's secret)
//   database_id = "..."               # or HARK_NOTION_DATABASE
//   page_per = "snip"                 # or "episode": one page per episode with its snips
//   base_url = "https://api.notion.com"
//
// Precedence: hark.toml < environment < flags. Unknown keys are errors.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "app/config.hpp"
#include "core/result.hpp"

namespace hark::app {

struct ExportConfig {
  std::filesystem::path markdown_folder;
  std::filesystem::path markdown_template;
  std::string readwise_token;
  std::string readwise_base_url = "https://readwise.io";
  std::string notion_token;
  std::string notion_database_id;
  bool notion_page_per_episode = false;
  std::string notion_base_url = "https://api.notion.com";
  // Where each secret was set, named in errors that ask to change it.
  std::string readwise_token_setting =
      "[export.readwise] token in hark.toml or HARK_READWISE_TOKEN";
  std::string notion_token_setting = "[export.notion] token in hark.toml or HARK_NOTION_TOKEN";
  std::string notion_database_setting =
      "[export.notion] database_id in hark.toml or "
      "HARK_NOTION_DATABASE";
};

Status apply_export_toml(std::string_view toml_text, const std::string& source_name,
                         ExportConfig& out);

// The configuration file's [export] settings, then the environment.
Result<ExportConfig> load_export_config(const Config& config);

}  // namespace hark::app
