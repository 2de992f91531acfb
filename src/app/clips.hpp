// Audio clips of snips: the snip's range of the episode with short fades and tags, made
// with the FFmpeg libraries (media/cut.hpp). The episode is downloaded first when needed.
//
// Thread-safety: make_clip as Library::download (safe from any thread); ClipCache is
// thread-safe.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <mutex>
#include <set>
#include <string>
#include <string_view>

#include "app/library.hpp"
#include "core/result.hpp"
#include "store/store.hpp"

namespace hark::app {

// The image at an artwork URL of a podcast whose feed is the second argument (e.g.
// load_artwork in artwork.hpp, or a cache in front of it); an error says why there is none.
using ArtworkSource =
    std::function<Result<std::string>(const std::string& url, const std::string& feed_url)>;
// Told why a clip was made without something (its artwork); for a log or a warning line.
using ClipNote = std::function<void(const std::string&)>;

struct ClipOptions {
  std::filesystem::path out;  // .mp3 or .m4a (any extension media::cut knows)
  Millis fade_ms = 300;
  std::string public_url = "http://127.0.0.1:8080";  // the link in the comment tag
  // The episode's artwork, else the podcast's, becomes the clip's cover (MP3 APIC, M4A
  // covr) when this finds it as a PNG or JPEG; otherwise the clip is made without and
  // `note` says why. None: no cover.
  ArtworkSource artwork{};
  ClipNote note{};
};

// Errors: NotFound for an unknown snip; the download's error (naming the episode) when its
// audio cannot be had; InvalidInput for an output folder that does not exist or a format
// hark cannot write. Nothing is left at `out` on failure.
Status make_clip(store::Store& store, Library& library, Id user_id, Id snip_id,
                 const ClipOptions& options);
// The same for a snip already read from the store (a shared snip found by its share id).
Status make_clip(store::Store& store, Library& library, const store::Snip& snip,
                 const ClipOptions& options);

// Clips made for downloads (the share page, the web player), kept on disk so that a repeat
// download is a file read, not an encode. A clip's file name holds the snip's id, range and
// edit time, so an edited snip gets a new clip and its old ones are removed. At most
// `max_encoding` clips are cut at once and at most `max_waiting` requests wait for a turn;
// more are refused (Unavailable), so a burst of downloads cannot occupy every core.
class ClipCache {
 public:
  struct Options {
    std::filesystem::path dir;  // e.g. <data>/cache/clips; made when first needed
    int max_encoding = 1;
    int max_waiting = 4;
    Millis max_wait_ms = 30'000;              // then Unavailable ("try again")
    std::uintmax_t max_bytes = 512ull << 20;  // oldest clips go past this
    Millis fade_ms = 300;
    std::string public_url = "http://127.0.0.1:8080";
    ArtworkSource artwork{};  // as in ClipOptions
    ClipNote note{};
  };
  struct File {
    std::filesystem::path path;
    std::string download_name;  // "<snip title>.m4a", safe on every OS (may be UTF-8)
    std::string content_type;   // audio/mp4 or audio/mpeg
    bool cached = false;        // true when no encode was needed
  };

  ClipCache(store::Store& store, Library& library, Options options);

  // The clip of `snip` as `format` ("m4a" or "mp3"). Errors: InvalidInput for another
  // format; Unavailable when too many clips are being made (try again shortly); those of
  // make_clip.
  Result<File> get(const store::Snip& snip, std::string_view format);

  // Removes the clips of a snip that was deleted. Returns how many files went.
  int forget(Id snip_id);
  // Removes the clips of snips that no longer exist (deleted with their episode or podcast,
  // or by another process). Returns how many files went.
  Result<int> sweep();

  // Clips being cut now and requests waiting for a turn.
  struct Load {
    int encoding = 0;
    int waiting = 0;
  };
  Load load();

  // The cache file name: "<snip id>-<start>-<end>-<updated_at>-v<version>.<format>".
  static std::string file_name(const store::Snip& snip, std::string_view format);

 private:
  void prune(const store::Snip& snip, const std::filesystem::path& keep);

  store::Store& store_;
  Library& library_;
  Options options_;
  std::mutex mutex_;
  std::condition_variable turn_;
  int encoding_ = 0;                 // guarded by mutex_
  int waiting_ = 0;                  // guarded by mutex_
  std::set<std::string> in_flight_;  // cache names being made; guarded by mutex_
};

}  // namespace hark::app
