// Sending a user's snips out of hark: Markdown/Obsidian notes (and, in later files, the
// senders). Loads what the formatters in export/ need from the store, and writes files
// or calls services; the formatting itself is in export/.
//
// Errors name what to fix: "cannot write notes to /vault: Permission denied (choose a
// folder you can write to with --out)". Nothing is written unless every note rendered.
//
// Thread-safety: stateless apart from the Store reference; safe from any thread.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/model.hpp"
#include "core/result.hpp"
#include "store/store.hpp"

namespace hark::app {

struct MarkdownExportOptions {
  std::filesystem::path out_dir;                       // the vault (or any folder)
  std::optional<std::filesystem::path> template_file;  // none: the built-in template
  bool transcript = false;                             // append the full transcript
  std::optional<Id> episode;                           // only this episode's note
  std::string public_url = "http://127.0.0.1:8080";    // links start with it
};

struct MarkdownExportOutcome {
  int written = 0;                           // created or changed
  int unchanged = 0;                         // already up to date
  std::vector<std::filesystem::path> files;  // every note, in episode order
};

// One note per episode with the user's snips (or just `options.episode`, which may have
// none: its summary alone). A note found in the folder by its hark_episode_id is updated in
// place, wherever the user moved or renamed it. Each file is replaced atomically.
Result<MarkdownExportOutcome> export_markdown(store::Store& store, Id user_id,
                                              const MarkdownExportOptions& options);

// The transcript as plain text, one paragraph per speaker turn with [mm:ss] stamps.
std::string note_transcript_text(const Transcript& transcript);

// Writes `text` to `path` atomically (a temporary file in the same folder, then a rename).
Status write_file_atomically(const std::filesystem::path& path, std::string_view text);

}  // namespace hark::app
