#include "server/artwork.hpp"

#include "app/artwork.hpp"
#include "core/text.hpp"
#include "server/api_support.hpp"
#include "server/context.hpp"
#include "server/errors.hpp"

namespace hark::server {
namespace {

bool browser_loads(std::string_view url) {
  return url.empty() || text::to_lower_ascii(url.substr(0, 8)) == "https://";
}

// The image at `url` (app/artwork.hpp: local files only for local feeds).
Result<ArtworkCache::Image> load(Context& ctx, const std::string& url,
                                 const std::string& feed_url) {
  auto artwork = app::load_artwork(ctx.app.http(), url, feed_url);
  if (!artwork) return artwork.error();
  return ArtworkCache::Image{std::move(artwork->type), std::move(artwork->bytes)};
}

Response serve(Context& ctx, const std::string& url, const std::string& feed_url) {
  if (url.empty()) return error_response(not_found("there is no artwork"));
  auto& cache = *ctx.artwork;
  auto image = cache.find(url);
  if (!image) {
    auto loaded = load(ctx, url, feed_url);
    if (!loaded) return error_response(loaded.error());
    cache.put(url, *loaded);
    image = std::move(*loaded);
  }
  Response r;
  r.content_type = image->type;
  r.body = std::move(image->bytes);
  r.set_header("Cache-Control", "public, max-age=86400");
  return r;
}

}  // namespace

std::string podcast_image_src(const Podcast& podcast) {
  if (browser_loads(podcast.image_url)) return podcast.image_url;
  return "/api/podcasts/" + std::to_string(podcast.id) + "/artwork";
}

std::string episode_image_src(const Episode& episode, const Podcast* podcast) {
  if (episode.image_url.empty()) return podcast ? podcast_image_src(*podcast) : "";
  if (browser_loads(episode.image_url)) return episode.image_url;
  return "/api/episodes/" + std::to_string(episode.id) + "/artwork";
}

std::optional<std::string> image_type(std::string_view bytes) {
  return app::image_type(bytes);
}

std::optional<ArtworkCache::Image> ArtworkCache::find(const std::string& url) {
  std::lock_guard lock(mutex_);
  auto it = images_.find(url);
  if (it == images_.end()) return std::nullopt;
  order_.splice(order_.begin(), order_, it->second.second);
  return it->second.first;
}

void ArtworkCache::put(const std::string& url, Image image) {
  std::lock_guard lock(mutex_);
  if (image.bytes.size() > max_bytes_ || images_.contains(url)) return;
  bytes_ += image.bytes.size();
  order_.push_front(url);
  images_.emplace(url, std::make_pair(std::move(image), order_.begin()));
  while (bytes_ > max_bytes_ && !order_.empty()) {
    auto it = images_.find(order_.back());
    bytes_ -= it->second.first.bytes.size();
    images_.erase(it);
    order_.pop_back();
  }
}

Response handle_get_podcast_artwork(const Request& request, Context& ctx) {
  auto id = id_param(request);
  if (!id) return error_response(id.error());
  auto podcast = ctx.app.store().podcasts().find(*id);
  if (!podcast) return error_response(podcast.error());
  return serve(ctx, podcast->image_url, podcast->feed_url);
}

Response handle_get_episode_artwork(const Request& request, Context& ctx) {
  auto id = id_param(request);
  if (!id) return error_response(id.error());
  auto episode = ctx.app.store().episodes().find(*id);
  if (!episode) return error_response(episode.error());
  auto podcast = ctx.app.store().podcasts().find(episode->podcast_id);
  if (!podcast) return error_response(podcast.error());
  return serve(ctx, episode->image_url.empty() ? podcast->image_url : episode->image_url,
               podcast->feed_url);
}

}  // namespace hark::server
