// Artwork a browser cannot load by itself, fetched by hark: a local feed's file:// image (the
// sample podcast's, any feed added from disk) and http:// images, which the page's CSP
// (img-src https:) refuses. API JSON points such images at these routes (`image_src`);
// https:// images are left to the browser.
//
//   GET /api/podcasts/{id}/artwork      public, like the share pages that show it
//   GET /api/episodes/{id}/artwork      the episode's own image, else its podcast's
//
// Only PNG, JPEG, GIF and WebP (by their first bytes) are served, never SVG (it can carry
// script) or anything else a file:// URL might name. Fetched images are kept in memory
// (bounded, least recently used out first). Thread-safe.
#pragma once

#include <cstddef>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/model.hpp"
#include "server/http.hpp"

namespace hark::server {

struct Context;

// What an <img src> should use for an image URL of a podcast or an episode: the URL itself
// when it is https:// (or empty), else hark's artwork route.
std::string podcast_image_src(const Podcast& podcast);
std::string episode_image_src(const Episode& episode, const Podcast* podcast);

// The image type ("image/png", ...) of `bytes` by its first bytes; nullopt for anything else.
std::optional<std::string> image_type(std::string_view bytes);

class ArtworkCache {
 public:
  explicit ArtworkCache(std::size_t max_bytes = 32 << 20) : max_bytes_(max_bytes) {}
  struct Image {
    std::string type;
    std::string bytes;
  };
  std::optional<Image> find(const std::string& url);
  void put(const std::string& url, Image image);

 private:
  std::mutex mutex_;
  std::size_t max_bytes_;
  std::size_t bytes_ = 0;         // guarded by mutex_
  std::list<std::string> order_;  // most recent first
  std::unordered_map<std::string, std::pair<Image, std::list<std::string>::iterator>> images_;
};

Response handle_get_podcast_artwork(const Request& request, Context& ctx);
Response handle_get_episode_artwork(const Request& request, Context& ctx);

}  // namespace hark::server
