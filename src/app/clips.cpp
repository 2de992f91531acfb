#include "app/clips.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <optional>
#include <vector>

#include "export/links.hpp"
#include "export/markdown.hpp"
#include "media/cut.hpp"

namespace hark::app {
namespace {

namespace fs = std::filesystem;

// Part of every cache name: raise it when what goes into a clip changes (tags, artwork),
// so that clips made by an older hark are made again.
constexpr int kClipVersion = 2;  // 2: with the artwork as cover

}  // namespace

Status make_clip(store::Store& store, Library& library, Id user_id, Id snip_id,
                 const ClipOptions& options) {
  auto snip = store.snips().find(user_id, snip_id);
  if (!snip) return snip.error();
  return make_clip(store, library, *snip, options);
}

Status make_clip(store::Store& store, Library& library, const store::Snip& snip,
                 const ClipOptions& options) {
  const fs::path folder =
      options.out.parent_path().empty() ? fs::path(".") : options.out.parent_path();
  std::error_code ec;
  if (!fs::is_directory(folder, ec))
    return invalid_input("cannot write the clip to " + options.out.string() + ": the folder " +
                         folder.string() + " does not exist (create it or choose another --out)");
  auto episode = store.episodes().find(snip.episode_id);
  if (!episode)
    return episode.error().with_context("snip " + std::to_string(snip.id) + "'s episode");
  auto podcast = store.podcasts().find(episode->podcast_id);
  if (!podcast) return podcast.error();
  if (episode->download_path.empty() || !fs::exists(episode->download_path, ec)) {
    auto downloaded = library.download(episode->id);
    if (!downloaded)
      return Error(downloaded.error().code,
                   "the audio of episode " + std::to_string(episode->id) + " (\"" + episode->title +
                       "\"), which snip " + std::to_string(snip.id) +
                       " is from, cannot be had: " + downloaded.error().message);
    episode = std::move(downloaded);
  }
  media::CutOptions cut;
  cut.fade_ms = options.fade_ms;
  cut.tags["title"] = snip.title.empty() ? episode->title : snip.title;
  cut.tags["artist"] = podcast->author.empty() ? podcast->title : podcast->author;
  cut.tags["album"] = podcast->title;
  cut.tags["comment"] = snip.share_id
                            ? exports::share_url(options.public_url, *snip.share_id)
                            : exports::player_url(options.public_url, episode->id, snip.start_ms);
  if (options.artwork) {
    const std::string& url = episode->image_url.empty() ? podcast->image_url : episode->image_url;
    std::string why;
    if (url.empty()) {
      why = "neither the episode nor the podcast has artwork";
    } else if (auto image = options.artwork(url, podcast->feed_url); !image) {
      why = image.error().message;
    } else if (!media::cover_size(*image)) {
      why = "the artwork at " + url + " is not a PNG or JPEG image (clips carry only those)";
    } else {
      cut.cover = std::move(*image);
    }
    if (!why.empty() && options.note)
      options.note("the clip of snip " + std::to_string(snip.id) + " has no cover art: " + why);
  }
  auto status = media::cut(episode->download_path, snip.start_ms, snip.end_ms, options.out, cut);
  if (!status) return status.error().with_context("clip of snip " + std::to_string(snip.id));
  return ok();
}

// ---- ClipCache ----------------------------------------------------------------------------

ClipCache::ClipCache(store::Store& store, Library& library, Options options)
    : store_(store), library_(library), options_(std::move(options)) {
  options_.max_encoding = std::max(1, options_.max_encoding);
  options_.max_waiting = std::max(0, options_.max_waiting);
}

std::string ClipCache::file_name(const store::Snip& snip, std::string_view format) {
  return std::to_string(snip.id) + "-" + std::to_string(snip.start_ms) + "-" +
         std::to_string(snip.end_ms) + "-" + std::to_string(snip.updated_at) + "-v" +
         std::to_string(kClipVersion) + "." + std::string(format);
}

ClipCache::Load ClipCache::load() {
  std::lock_guard lock(mutex_);
  return {encoding_, waiting_};
}

Result<ClipCache::File> ClipCache::get(const store::Snip& snip, std::string_view format) {
  File file;
  if (format == "m4a") {
    file.content_type = "audio/mp4";
  } else if (format == "mp3") {
    file.content_type = "audio/mpeg";
  } else {
    return invalid_input("a clip can be had as m4a or mp3, not '" + std::string(format) + "'");
  }
  const std::string name = file_name(snip, format);
  file.path = options_.dir / name;
  file.download_name =
      exports::safe_file_stem(
          snip.title.empty() ? "hark clip " + std::to_string(snip.id) : snip.title, 100) +
      "." + std::string(format);
  std::error_code ec;
  if (fs::is_regular_file(file.path, ec)) {
    file.cached = true;
    return file;
  }

  {  // wait for a turn, unless too many already wait
    std::unique_lock lock(mutex_);
    if (waiting_ >= options_.max_waiting &&
        (encoding_ >= options_.max_encoding || in_flight_.contains(name)))
      return unavailable("too many clips are being made right now; try again in a minute");
    ++waiting_;
    const bool got_turn = turn_.wait_for(
        lock, std::chrono::milliseconds(options_.max_wait_ms),
        [&] { return encoding_ < options_.max_encoding && !in_flight_.contains(name); });
    --waiting_;
    if (!got_turn)
      return unavailable("too many clips are being made right now; try again in a minute");
    if (fs::is_regular_file(file.path, ec)) {  // made by the request we waited for
      file.cached = true;
      return file;
    }
    ++encoding_;
    in_flight_.insert(name);
  }
  struct Release {
    ClipCache& self;
    const std::string& name;
    ~Release() {
      {
        std::lock_guard lock(self.mutex_);
        --self.encoding_;
        self.in_flight_.erase(name);
      }
      self.turn_.notify_all();
    }
  } release{*this, name};

  fs::create_directories(options_.dir, ec);
  if (ec)
    return internal_error("cannot make the clip cache folder " + options_.dir.string() + ": " +
                          ec.message());
  ClipOptions clip;
  clip.out = file.path;
  clip.fade_ms = options_.fade_ms;
  clip.public_url = options_.public_url;
  clip.artwork = options_.artwork;
  clip.note = options_.note;
  HARK_TRY(make_clip(store_, library_, snip, clip));
  prune(snip, file.path);
  (void)sweep();  // and the clips of snips deleted since (a failure only delays that)
  return file;
}

namespace {

// The snip id a cache file name starts with ("<id>-..."); nullopt for other files and for
// files being written (".name").
std::optional<Id> snip_of(const std::string& name) {
  Id id = 0;
  const auto [ptr, ec] = std::from_chars(name.data(), name.data() + name.size(), id);
  if (ec != std::errc() || ptr == name.data() || ptr == name.data() + name.size() || *ptr != '-')
    return std::nullopt;
  return id;
}

}  // namespace

int ClipCache::forget(Id snip_id) {
  int removed = 0;
  std::error_code ec;
  for (fs::directory_iterator it(options_.dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (snip_of(it->path().filename().string()) != snip_id) continue;
    std::error_code e;
    if (fs::remove(it->path(), e)) ++removed;
  }
  return removed;
}

Result<int> ClipCache::sweep() {
  std::vector<std::pair<Id, fs::path>> files;
  std::error_code ec;
  for (fs::directory_iterator it(options_.dir, ec), end; !ec && it != end; it.increment(ec))
    if (const auto id = snip_of(it->path().filename().string()))
      files.emplace_back(*id, it->path());
  int removed = 0;
  for (const auto& [id, path] : files) {
    auto exists = store_.snips().exists(id);
    if (!exists) return exists.error();
    std::error_code e;
    if (!*exists && fs::remove(path, e)) ++removed;
  }
  return removed;
}

// Removes the snip's older clips (another range or edit time) and, past max_bytes, the
// least recently made clips of any snip. Files being written are hidden (".name") and left.
void ClipCache::prune(const store::Snip& snip, const fs::path& keep) {
  const std::string prefix = std::to_string(snip.id) + "-";
  const std::string format = keep.extension().string();
  struct Entry {
    fs::path path;
    fs::file_time_type time;
    std::uintmax_t size;
  };
  std::vector<Entry> entries;
  std::uintmax_t total = 0;
  std::error_code ec;
  for (fs::directory_iterator it(options_.dir, ec), end; !ec && it != end; it.increment(ec)) {
    const auto& path = it->path();
    const std::string name = path.filename().string();
    if (name.starts_with('.') || path == keep) continue;
    std::error_code e;
    if (name.starts_with(prefix) && path.extension() == format) {
      fs::remove(path, e);
      continue;
    }
    const auto size = it->file_size(e);
    if (e) continue;
    entries.push_back({path, it->last_write_time(e), size});
    total += size;
  }
  total += fs::file_size(keep, ec);
  if (total <= options_.max_bytes) return;
  std::sort(entries.begin(), entries.end(),
            [](const Entry& a, const Entry& b) { return a.time < b.time; });
  for (const auto& e : entries) {
    if (total <= options_.max_bytes) break;
    std::error_code removed;
    if (fs::remove(e.path, removed)) total -= e.size;
  }
}

}  // namespace hark::app
