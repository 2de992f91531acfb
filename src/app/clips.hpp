// Audio clips of snips: the snip's range of the episode with short fades and tags, made
// with the FFmpeg libraries (media/cut.hpp). The episode is downloaded first when needed.
//
// Thread-safety: as Library::download (safe from any thread).
#pragma once

#include <filesystem>
#include <string>

#include "app/library.hpp"
#include "core/result.hpp"
#include "store/store.hpp"

namespace hark::app {

struct ClipOptions {
  std::filesystem::path out;  // .mp3 or .m4a (any extension media::cut knows)
  Millis fade_ms = 300;
  std::string public_url = "http://127.0.0.1:8080";  // the link in the comment tag
};

// Errors: NotFound for an unknown snip; the download's error (naming the episode) when its
// audio cannot be had; InvalidInput for an output folder that does not exist or a format
// hark cannot write. Nothing is left at `out` on failure.
Status make_clip(store::Store& store, Library& library, Id user_id, Id snip_id,
                 const ClipOptions& options);

}  // namespace hark::app
