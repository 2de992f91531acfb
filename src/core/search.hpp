// Value types shared by search (src/search: query parsing, passages, ranking) and the store
// (src/store: the full-text index that runs them). Plain data; no behaviour.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/model.hpp"

namespace hark {

// One term of a parsed search query: a word, or a phrase of several words in order.
struct SearchTerm {
  std::vector<std::string> words;  // lower-case, never empty
  bool prefix = false;             // the last word is a prefix ("podc*")
  bool exclude = false;            // results must not contain it ("-ads")
  bool operator==(const SearchTerm&) const = default;
};

// Every non-excluded term must match; no excluded term may. At least one term is not
// excluded (search::parse_query guarantees it).
struct TextQuery {
  std::vector<SearchTerm> terms;
  bool operator==(const TextQuery&) const = default;
};

// A stretch of an episode's transcript that search returns as one moment: consecutive
// sentences of one speaker (or several, when turns are short), about 20–45 s long.
struct Passage {
  Millis start_ms = 0;
  Millis end_ms = 0;
  std::string speaker;  // display name (or the transcript's label); "" when unknown
  std::string text;
  bool operator==(const Passage&) const = default;
};

// Who is searching and what to keep. Unset fields do not filter.
struct SearchScope {
  // Only podcasts this user subscribes to, and only this user's snips. Without it, every
  // podcast and no snips.
  std::optional<Id> user_id;
  std::optional<Id> podcast_id;
  std::optional<Millis> since;  // episodes published at or after (Unix ms)
  std::optional<Millis> until;  // episodes published before
  std::string speaker;          // passages whose speaker is this (case-insensitive)
};

enum class HitKind { Passage, Snip, Episode };

// One search result: a moment (a passage or a snip) or a whole episode (title, show notes).
struct SearchHit {
  HitKind kind = HitKind::Passage;
  Id ref_id = 0;  // passage id, snip id or episode id
  Id episode_id = 0;
  Id podcast_id = 0;
  Millis start_ms = 0;
  Millis end_ms = 0;
  std::string podcast_title;
  std::string episode_title;
  std::optional<Millis> published_at;
  std::string speaker;
  // Plain text; matched words are wrapped in kMarkOpen ... kMarkClose.
  std::string snippet;
  double score = 0;  // higher is better; comparable only within one result list
};

inline constexpr char kMarkOpen = '\x02';
inline constexpr char kMarkClose = '\x03';

}  // namespace hark
