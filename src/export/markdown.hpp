// Markdown / Obsidian notes: one note per episode with YAML front matter, the episode
// summary and the user's snips. hark owns two things in a note and nothing else:
//   - its keys in the front matter (kOwnedKeys); keys the user added stay as they are;
//   - the block between kBlockBegin and kBlockEnd; text above and below it stays.
// Re-exporting rewrites only those, so notes can be annotated freely in Obsidian.
//
// The block is rendered from a template (template.hpp) the user can replace; the default
// is kDefaultNoteTemplate. Uses the store's value types (Snip, StoredSummary), never its
// repositories. Pure; safe from any thread.
#pragma once

#include <array>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/model.hpp"
#include "core/result.hpp"
#include "store/store.hpp"

namespace hark::exports {

inline constexpr std::string_view kBlockBegin =
    "<!-- hark:begin — written by hark; edits between these lines are replaced on the next "
    "export -->";
inline constexpr std::string_view kBlockEnd = "<!-- hark:end -->";
inline constexpr std::array<std::string_view, 8> kOwnedKeys = {
    "podcast", "episode", "date", "url", "player", "hark_podcast_id", "hark_episode_id", "tags"};

extern const std::string_view kDefaultNoteTemplate;

struct EpisodeNote {
  Podcast podcast;
  Episode episode;
  std::optional<store::StoredSummary> summary;
  std::vector<store::Snip> snips;         // any order; notes list them by start time
  std::string public_url;                 // normalised (links.hpp)
  std::optional<std::string> transcript;  // plain text with [mm:ss] stamps, when wanted
};

// A file name for the note that is safe on Windows, macOS and Linux and in Obsidian:
// "<date> <episode title>.md" with reserved characters replaced, no trailing dots or
// spaces, no reserved device names, at most ~120 bytes (whole UTF-8 characters).
std::string note_file_name(const Episode& episode);
// The podcast's folder name inside the vault, by the same rules.
std::string safe_folder_name(std::string_view podcast_title);
// The rule itself: `name` made safe ("untitled" when nothing is left).
std::string safe_file_stem(std::string_view name, std::size_t max_bytes = 120);

// The data the template sees (documented in README.md): podcast, podcast_author,
// episode, date, url, player_url, summary, takeaways[], has_takeaways, snips[] (id, title,
// time, start, player_url, share_url, summary, takeaways[], has_takeaways, quote, speaker,
// note), transcript.
nlohmann::json note_data(const EpisodeNote& note);

// hark's block for the note: kBlockBegin, the rendered template, kBlockEnd.
Result<std::string> render_block(const EpisodeNote& note, std::string_view note_template);

// hark's front matter keys, as YAML lines (no "---" fences).
std::string render_owned_front_matter(const EpisodeNote& note);

// The note after an export: `existing` ("" for a new note) with hark's front matter keys
// and block replaced and everything else kept. A note whose block markers were removed
// gets the block appended at the end, so nothing the user wrote is lost.
std::string merge_note(std::string_view existing, std::string_view owned_front_matter,
                       std::string_view block);

// The hark_episode_id in a note's front matter, if any (to find a note after a rename).
std::optional<Id> note_episode_id(std::string_view note_text);

// A YAML double-quoted scalar.
std::string yaml_quote(std::string_view text);

}  // namespace hark::exports
