#include "server/artwork.hpp"

#include <fstream>
#include <iterator>

#include "core/text.hpp"
#include "server/api_support.hpp"
#include "server/context.hpp"
#include "server/errors.hpp"

namespace hark::server {
namespace {

constexpr std::int64_t kMaxImageBytes = 10 << 20;

bool browser_loads(std::string_view url) {
  return url.empty() || text::to_lower_ascii(url.substr(0, 8)) == "https://";
}

bool is_local(std::string_view url) {
  return text::to_lower_ascii(url.substr(0, 7)) == "file://" || url.starts_with('/');
}

// The path of a file: URL ("file:///a/b.png" or "file://localhost/a/b.png") or a plain path.
std::optional<std::string> local_path(std::string_view url) {
  if (url.starts_with('/')) return std::string(url);
  std::string_view rest = url.substr(7);
  if (rest.starts_with("localhost/")) rest.remove_prefix(9);
  if (!rest.starts_with('/')) return std::nullopt;
  std::string path;
  for (std::size_t i = 0; i < rest.size(); ++i) {  // %XX escapes
    if (rest[i] == '%' && i + 2 < rest.size() &&
        std::isxdigit(static_cast<unsigned char>(rest[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(rest[i + 2]))) {
      path.push_back(static_cast<char>(std::stoi(std::string(rest.substr(i + 1, 2)), nullptr, 16)));
      i += 2;
    } else if (rest[i] == '?' || rest[i] == '#') {
      break;
    } else {
      path.push_back(rest[i]);
    }
  }
  return path;
}

// The image at `url`, for a podcast whose feed is `feed_url`: a local file only when the feed
// itself was added from disk (whoever could add that feed could read the file anyway).
Result<ArtworkCache::Image> load(Context& ctx, const std::string& url,
                                 const std::string& feed_url) {
  std::string bytes;
  if (is_local(url)) {
    if (!is_local(feed_url))
      return not_found("this artwork is a local file but its feed is not; it is not served");
    const auto path = local_path(url);
    if (!path) return not_found("the artwork URL " + url + " is not a local path");
    std::ifstream in(*path, std::ios::binary);
    if (!in) return not_found("the artwork file " + *path + " cannot be read");
    bytes.assign(std::istreambuf_iterator<char>(in), {});
    if (static_cast<std::int64_t>(bytes.size()) > kMaxImageBytes)
      return not_found("the artwork file is larger than 10 MB");
  } else {
    net::Request r;
    r.url = url;
    r.max_body_bytes = kMaxImageBytes;
    r.timeout_ms = 15'000;
    auto response = ctx.app.http().fetch(r);
    if (!response)
      return not_found("the artwork could not be fetched: " + response.error().message);
    if (response->status != 200)
      return not_found("the artwork server answered " + std::to_string(response->status));
    bytes = std::move(response->body);
  }
  auto type = image_type(bytes);
  if (!type) return not_found("the artwork is not a PNG, JPEG, GIF or WebP image");
  return ArtworkCache::Image{*type, std::move(bytes)};
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

std::optional<std::string> image_type(std::string_view b) {
  if (b.starts_with("\x89PNG\r\n\x1a\n")) return "image/png";
  if (b.size() >= 3 && b.starts_with("\xFF\xD8\xFF")) return "image/jpeg";
  if (b.starts_with("GIF87a") || b.starts_with("GIF89a")) return "image/gif";
  if (b.size() >= 12 && b.starts_with("RIFF") && b.substr(8, 4) == "WEBP") return "image/webp";
  return std::nullopt;
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
