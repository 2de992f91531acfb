#include "app/clips.hpp"

#include "export/links.hpp"
#include "media/cut.hpp"

namespace hark::app {

Status make_clip(store::Store& store, Library& library, Id user_id, Id snip_id,
                 const ClipOptions& options) {
  namespace fs = std::filesystem;
  auto snip = store.snips().find(user_id, snip_id);
  if (!snip) return snip.error();
  const fs::path folder =
      options.out.parent_path().empty() ? fs::path(".") : options.out.parent_path();
  std::error_code ec;
  if (!fs::is_directory(folder, ec))
    return invalid_input("cannot write the clip to " + options.out.string() + ": the folder " +
                         folder.string() + " does not exist (create it or choose another --out)");
  auto episode = store.episodes().find(snip->episode_id);
  if (!episode)
    return episode.error().with_context("snip " + std::to_string(snip_id) + "'s episode");
  auto podcast = store.podcasts().find(episode->podcast_id);
  if (!podcast) return podcast.error();
  if (episode->download_path.empty() || !fs::exists(episode->download_path, ec)) {
    auto downloaded = library.download(episode->id);
    if (!downloaded)
      return Error(downloaded.error().code,
                   "the audio of episode " + std::to_string(episode->id) + " (\"" + episode->title +
                       "\"), which snip " + std::to_string(snip_id) +
                       " is from, cannot be had: " + downloaded.error().message);
    episode = std::move(downloaded);
  }
  media::CutOptions cut;
  cut.fade_ms = options.fade_ms;
  cut.tags["title"] = snip->title.empty() ? episode->title : snip->title;
  cut.tags["artist"] = podcast->author.empty() ? podcast->title : podcast->author;
  cut.tags["album"] = podcast->title;
  cut.tags["comment"] = snip->share_id
                            ? exports::share_url(options.public_url, *snip->share_id)
                            : exports::player_url(options.public_url, episode->id, snip->start_ms);
  auto status = media::cut(episode->download_path, snip->start_ms, snip->end_ms, options.out, cut);
  if (!status) return status.error().with_context("clip of snip " + std::to_string(snip_id));
  return ok();
}

}  // namespace hark::app
