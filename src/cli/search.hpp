// `hark search`, `hark reindex`: searching everything ever heard, at the CLI.
#pragma once

#include <optional>
#include <string>

#include "app/app.hpp"
#include "cli/commands.hpp"

namespace hark::cli {

struct SearchFlags {
  std::string query;
  std::string mode = "hybrid";  // lexical, semantic, hybrid
  std::optional<Id> podcast;
  std::string since;  // a date (2024-05-01) or date-time
  std::string speaker;
  int limit = app::kDefaultSearchLimit;
};

// Searches the local user's podcasts and snips; prints the moments best first (times,
// titles, snippet with the matched words marked).
Status cmd_search(app::App& app, const SearchFlags& flags, const Options& o);
// Moments like the local user's snip in other episodes (needs an embedding service).
Status cmd_similar(app::App& app, Id snip_id, int limit, const Options& o);
// Rebuilds the search index from the stored transcripts and show notes.
Status cmd_reindex(app::App& app, const Options& o);

}  // namespace hark::cli
