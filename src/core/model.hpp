// Value types that flow between hark's modules. Plain data: no I/O, no invariants
// beyond what the comments say. Ids are 0 until the store assigns one.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace hark {

using Millis = std::int64_t;  // durations and offsets, and Unix times in milliseconds
using Id = std::int64_t;

// podcast:person (Podcasting 2.0). Role/group default to "host"/"cast" per the spec.
struct Person {
  std::string name;
  std::string role = "host";
  std::string group = "cast";
  std::string img;
  std::string href;
  bool operator==(const Person&) const = default;
};

// podcast:transcript. `type` is the MIME type as published (normalised to lower case).
struct TranscriptLink {
  std::string url;
  std::string type;
  std::string language;
  std::string rel;  // "captions" when the file is meant as captions
  bool operator==(const TranscriptLink&) const = default;
};

// podcast:soundbite: a publisher-chosen moment.
struct Soundbite {
  Millis start_ms = 0;
  Millis duration_ms = 0;
  std::string title;
  bool operator==(const Soundbite&) const = default;
};

// A chapter of an episode. `source` says where it came from, in order of trust:
// "publisher" (podcast:chapters JSON), "embedded" (ID3 CHAP / MP4 chapters in the audio),
// "shownotes" (timestamps written in the description), "generated" (topic segmentation).
struct Chapter {
  Millis start_ms = 0;
  std::optional<Millis> end_ms;  // the next chapter's start, or the episode's end
  std::string title;
  std::string url;        // a link about the chapter's topic
  std::string image_url;  // chapter artwork
  bool toc = true;        // false: a silent marker not shown in tables of contents
  std::string source;
  bool operator==(const Chapter&) const = default;
};

struct Podcast {
  Id id = 0;
  std::string feed_url;  // where hark fetches it (after following itunes:new-feed-url)
  std::string title;
  std::string author;
  std::string description;
  std::string link;
  std::string image_url;
  std::string language;
  bool explicit_content = false;
  std::string podcast_guid;  // podcast:guid
  bool locked = false;       // podcast:locked
  std::string locked_owner;
  std::string new_feed_url;  // itunes:new-feed-url as last seen in the feed
  std::vector<Person> persons;
  // Fetch state (owned by the library use cases, not by the feed).
  std::string etag;
  std::string last_modified;
  std::optional<Millis> last_fetched_at;
  std::optional<Millis> last_success_at;
  std::string last_error;
  int episode_count = 0;  // filled by listings
};

struct Episode {
  Id id = 0;
  Id podcast_id = 0;
  // Identity within the podcast: the guid when present and unique in the feed, else a key
  // derived from the normalised enclosure URL and the title (see feed/identity.hpp).
  std::string key;
  std::string guid;  // as published (may be empty)
  std::string title;
  std::string description;   // plain text or HTML as published (description / summary)
  std::string content_html;  // content:encoded
  std::string link;
  std::optional<Millis> published_at;  // Unix ms
  std::optional<Millis> duration_ms;
  std::string enclosure_url;
  std::string enclosure_type;
  std::int64_t enclosure_length = 0;
  std::string image_url;
  std::optional<int> season;
  std::optional<int> episode_number;
  std::string episode_type;  // full, trailer, bonus
  bool explicit_content = false;
  std::vector<TranscriptLink> transcripts;
  std::string chapters_url;
  std::string chapters_type;
  std::vector<Soundbite> soundbites;
  std::vector<Person> persons;  // item persons replace channel persons
  // Local state.
  std::string download_path;
  std::int64_t download_size = 0;
};

}  // namespace hark
