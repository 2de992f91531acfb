// Chapters: the Podcasting 2.0 JSON chapters format, the clean-up every chapter source shares,
// and the choice between sources. Show-notes timestamps are in show_notes.hpp; chapters
// embedded in audio files are read by media/. Pure functions, no shared state: thread-safe.
#pragma once

#include <array>
#include <optional>
#include <string_view>
#include <vector>

#include "core/model.hpp"
#include "core/result.hpp"

namespace hark::feed {

// Chapter::source values, most trusted first. A publisher's JSON file is written for the
// purpose; embedded chapters are too but are often stale after re-encoding; show-notes
// timestamps are typed by hand; generated ones are hark's own guess.
inline constexpr std::array<std::string_view, 4> kChapterSourcesByTrust = {
    "publisher", "embedded", "shownotes", "generated"};

// Parses a Podcasting 2.0 chapters file (version 1.2.0:
// https://github.com/Podcastindex-org/podcast-namespace/blob/main/chapters/jsonChapters.md).
// Reads `startTime` and `endTime` (seconds as numbers, or as strings: "12.5", "1:02:03"),
// `title`, `img`, `url` and `toc` (false: a silent marker, e.g. an artwork change); ignores
// `location` and unknown keys. Every chapter gets source "publisher". The list is finalized
// without a duration (see finalize_chapters): the last chapter's end stays empty unless the
// file gives it.
// A table-of-contents chapter without a title is named "Chapter N", N its 1-based position
// among the table-of-contents chapters, so every list shown to a listener reads as one;
// untitled toc:false markers keep an empty title (they are never shown).
// Fails with InvalidInput for: an empty file, invalid JSON (naming line and column), no
// "chapters" array, a chapter that is not an object, a missing, negative or unreadable
// startTime, and a negative or unreadable endTime (naming the chapter's index).
Result<std::vector<Chapter>> parse_chapters_json(std::string_view bytes);

// Puts chapters from any source into the shape the rest of hark relies on: sorted by start
// (stable, so equal starts keep their source order), exact duplicates removed, chapters with a
// negative start or starting at or after the episode's end dropped, and every missing end set
// to the next later start (the last one to the duration, when known). An end the source gave
// is kept, unless it is not after its start (then it is treated as missing); ends past the
// duration are clamped to it. A duration <= 0 counts as unknown (feeds write 0 for "unknown").
void finalize_chapters(std::vector<Chapter>& chapters, std::optional<Millis> episode_duration);

// True when `chapters` is worth showing as a table of contents: at least two chapters with
// toc = true. A single chapter (typically "Episode" at 0:00) divides nothing.
bool is_chapter_list(const std::vector<Chapter>& chapters);

// The rank of a Chapter::source in kChapterSourcesByTrust (0 = most trusted); unknown sources
// rank after all known ones.
std::size_t chapter_source_rank(std::string_view source);

// Of several candidate lists (one per source, each list's source read from its chapters),
// returns the most trusted one that is_chapter_list; an empty list when none is. Between
// equally trusted lists the earlier one wins.
std::vector<Chapter> best_chapters(std::vector<std::vector<Chapter>> candidates);

}  // namespace hark::feed
