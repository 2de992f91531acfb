// `hark export markdown|readwise|notion`, `hark share`, `hark clip`: snips leaving hark.
#pragma once

#include <optional>
#include <string>

#include "app/app.hpp"
#include "cli/commands.hpp"

namespace hark::cli {

struct MarkdownFlags {
  std::string out;            // --out (else [export.markdown] folder)
  std::string template_file;  // --template (else [export.markdown] template)
  bool transcript = false;    // --transcript
  std::optional<Id> episode;  // --episode
  bool print_template = false;
};

Status cmd_export_markdown(app::App& app, const MarkdownFlags& flags, const Options& o);
Status cmd_export_readwise(app::App& app, const Options& o);
Status cmd_export_notion(app::App& app, const Options& o);
// A backup of the library as JSON (to `out`, or standard output when empty).
Status cmd_export_json(app::App& app, const std::string& out);
// Restores a backup into this (empty) library.
Status cmd_import_json(app::App& app, const std::string& file, const Options& o);
// The snip's share link and its Twitter/X and WhatsApp intents.
Status cmd_share(app::App& app, Id snip_id, const Options& o);
// The snip's audio as a file (.mp3 or .m4a).
Status cmd_clip(app::App& app, Id snip_id, const std::string& out, const Options& o);

}  // namespace hark::cli
