// Podcast and episode artwork fetched by hark itself: for browsers that cannot load an image
// (server/artwork.hpp) and for the cover of audio clips (clips.hpp).
//
// Thread-safety: as net::HttpClient (safe from any thread).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "net/http_client.hpp"

namespace hark::app {

struct Artwork {
  std::string type;  // image/png, image/jpeg, image/gif or image/webp
  std::string bytes;
};

// The image type of `bytes` by its first bytes (PNG, JPEG, GIF, WebP); nullopt otherwise.
std::optional<std::string> image_type(std::string_view bytes);

// The image at `url` for a podcast whose feed is `feed_url`: a local file (file:// or a path)
// only when the feed itself was added from disk (whoever could add that feed could read the
// file anyway), else fetched over HTTP(S) with a 10 MB cap. NotFound, with the reason, when
// there is no usable image (unreadable, a refused fetch, not an image of those types).
Result<Artwork> load_artwork(net::HttpClient& http, const std::string& url,
                             const std::string& feed_url);

}  // namespace hark::app
