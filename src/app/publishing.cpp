#include "app/publishing.hpp"

#include <algorithm>

#include "app/accounts.hpp"
#include "app/senders.hpp"
#include "export/feeds.hpp"
#include "export/markdown.hpp"

namespace hark::app {

Result<std::string> snips_feed_token(store::Store& store, Id user_id, bool rotate) {
  if (!rotate) {
    auto existing = store.feed_tokens().find(user_id);
    if (!existing) return existing.error();
    if (*existing) return **existing;
  }
  const std::string token = random_token();
  HARK_TRY(store.feed_tokens().put(user_id, token));
  return token;
}

std::string snips_feed_url(const std::string& public_url, const std::string& token) {
  return public_url + "/api/feeds/snips/" + token;
}

Result<std::optional<std::string>> snips_feed_xml(store::Store& store, const std::string& token,
                                                  const std::string& public_url) {
  auto user_id = store.feed_tokens().user_for(token);
  if (!user_id) return user_id.error();
  if (!*user_id) return std::optional<std::string>{};
  auto user = store.users().find(**user_id);
  if (!user) return user.error();
  auto contexts = load_snip_contexts(store, **user_id, public_url);
  if (!contexts) return contexts.error();
  exports::SnipsFeed feed;
  feed.title = user->name + "'s snips";
  feed.self_url = snips_feed_url(public_url, token);
  feed.home_url = public_url + "/";
  // Newest first, at most 200 (feed readers only show the recent ones).
  for (auto it = contexts->rbegin(); it != contexts->rend() && feed.snips.size() < 200; ++it)
    feed.snips.push_back(std::move(*it));
  return std::optional<std::string>(exports::snips_rss(feed));
}

Result<nlohmann::json> episode_soundbites(store::Store& store, Id user_id, Id episode_id,
                                          const std::string& public_url) {
  auto contexts = load_snip_contexts(store, user_id, public_url, episode_id);
  if (!contexts) return contexts.error();
  auto out = exports::soundbites_json(*contexts);
  out["episode_id"] = episode_id;
  return out;
}

namespace {

// The episode's note as `hark export markdown` sees it: the episode, its podcast, its
// summary and the user's snips of it.
Result<exports::EpisodeNote> note_of(store::Store& store, Id user_id, Id episode_id,
                                     const std::string& public_url) {
  exports::EpisodeNote note;
  auto episode = store.episodes().find(episode_id);
  if (!episode) return episode.error();
  note.episode = std::move(*episode);
  auto podcast = store.podcasts().find(note.episode.podcast_id);
  if (!podcast) return podcast.error();
  note.podcast = std::move(*podcast);
  auto summary = store.summaries().find(episode_id);
  if (!summary) return summary.error();
  note.summary = std::move(*summary);
  auto snips = store.snips().list(user_id, episode_id);
  if (!snips) return snips.error();
  note.snips = std::move(*snips);
  note.public_url = public_url;
  return note;
}

}  // namespace

Result<std::string> episode_note_markdown(store::Store& store, Id user_id, Id episode_id,
                                          const std::string& public_url) {
  auto note = note_of(store, user_id, episode_id, public_url);
  if (!note) return note.error();
  auto block = exports::render_block(*note, exports::kDefaultNoteTemplate);
  if (!block) return block.error();
  return exports::merge_note("", exports::render_owned_front_matter(*note), *block);
}

Result<std::string> library_markdown(store::Store& store, Id user_id,
                                     const std::string& public_url) {
  auto snips = store.snips().list(user_id);
  if (!snips) return snips.error();
  std::vector<Id> episodes;  // by their newest snip, newest first
  for (const auto& s : *snips)
    if (std::find(episodes.begin(), episodes.end(), s.episode_id) == episodes.end())
      episodes.push_back(s.episode_id);
  std::string out = "# My snips from hark\n\n";
  out += std::to_string(snips->size()) + (snips->size() == 1 ? " snip" : " snips") + " from " +
         std::to_string(episodes.size()) + (episodes.size() == 1 ? " episode" : " episodes") +
         ", newest first. `hark export markdown --out <vault>` writes one note per episode "
         "instead, and keeps them up to date.\n";
  for (const Id episode : episodes) {
    auto note = note_of(store, user_id, episode, public_url);
    if (!note) return note.error();
    auto block = exports::render_block(*note, exports::kDefaultNoteTemplate);
    if (!block) return block.error();
    out += "\n---\n\n" + *block;
    if (!out.ends_with('\n')) out += '\n';
  }
  return out;
}

}  // namespace hark::app
