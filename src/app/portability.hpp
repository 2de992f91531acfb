// A user's library as one JSON document (hark export json / hark import json): podcasts and
// their episodes, subscriptions, listening positions, snips with their notes and share ids,
// and the episode summaries of snipped episodes. Import restores it into an empty data
// directory with ids and times as they were, so `hark snips --json` reads the same before
// and after; into a library that already has some of it, only what it lacks is added.
// Transcripts and audio are not in it: `hark process` fetches them again.
//
// Format: {"format": "hark-library", "version": 1, "podcasts": [...], "episodes": [...],
// "subscriptions": [podcast id...], "positions": [...], "snips": [...], "summaries": [...]};
// times are Unix milliseconds, as inside hark.
//
// Thread-safety: stateless apart from the Store; safe from any thread.
#pragma once

#include <nlohmann/json.hpp>

#include "core/result.hpp"
#include "store/store.hpp"

namespace hark::app {

inline constexpr int kLibraryFormatVersion = 1;

Result<nlohmann::json> export_library_json(store::Store& store, Id user_id);

struct ImportOutcome {
  int podcasts = 0;  // added
  int episodes = 0;
  int snips = 0;
  int positions = 0;            // added or replaced by a newer one
  bool merged = false;          // the library was not empty: merged (see report)
  store::MergeReport report{};  // when merged: what was added and what was already there
};

// Into an empty library: restored with ids and times as they were. Into one that already
// has podcasts or snips: merged (ArchiveRepo::merge), so nothing is duplicated and nothing
// stored is lost. InvalidInput naming the first bad field for a document hark did not write
// (nothing stored).
Result<ImportOutcome> import_library_json(store::Store& store, Id user_id,
                                          const nlohmann::json& document);

}  // namespace hark::app
