// `hark snip`, `hark snips`, `hark highlights`, `hark summary`: the insight engine at the CLI.
#pragma once

#include <optional>
#include <string>

#include "app/app.hpp"
#include "cli/commands.hpp"

namespace hark::cli {

// A time as typed on the command line: seconds (`754`, `754.5`), `12:34` or `1:02:03`.
// InvalidInput naming the text and the accepted forms.
Result<Millis> parse_cli_time(const std::string& text);

struct SnipRequest {
  Id episode = 0;
  std::string at;       // --at
  std::string from;     // --from
  std::string to;       // --to
  std::string llm_url;  // --llm: a language model for this snip (see app/llm_config.hpp)
};

// Snips the moment at --at (or the selection --from..--to) for the local user, stores it
// and prints it. With a language model ([llm] or --llm) the model writes it first; when it
// fails the extractive text is stored and the reason printed (JSON: fallback_reason).
Status cmd_snip(app::App& app, const SnipRequest& request, const Options& o);
// The local user's snips, newest first (of one episode when given).
Status cmd_snips(app::App& app, std::optional<Id> episode, const Options& o);
// The episode's highlights / summary; computed now when the insights step has not run yet.
Status cmd_highlights(app::App& app, Id episode_id, const Options& o);
Status cmd_summary(app::App& app, Id episode_id, const Options& o);

}  // namespace hark::cli
