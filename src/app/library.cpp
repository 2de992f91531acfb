#include "app/library.hpp"

#include <algorithm>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>

#include "core/text.hpp"
#include "core/time.hpp"
#include "feed/feed.hpp"
#include "media/download.hpp"

namespace hark::app {
namespace {

// "https://Feeds.Example.com:8443/x" -> "feeds.example.com:8443" (the per-host limit key).
std::string host_key(std::string_view url) {
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return {};
  auto rest = url.substr(scheme_end + 3);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  if (const auto at = rest.rfind('@'); at != std::string_view::npos) rest = rest.substr(at + 1);
  return text::to_lower_ascii(rest);
}

// Bounds the number of concurrent requests to one host.
class HostLimiter {
 public:
  explicit HostLimiter(int per_host) : per_host_(per_host) {}
  void acquire(const std::string& host) {
    std::unique_lock lock(mutex_);
    cv_.wait(lock, [&] { return in_flight_[host] < per_host_; });
    ++in_flight_[host];
  }
  void release(const std::string& host) {
    {
      std::lock_guard lock(mutex_);
      --in_flight_[host];
    }
    cv_.notify_all();
  }

 private:
  int per_host_;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::map<std::string, int> in_flight_;
};

std::string describe_status(int status) {
  switch (status) {
    case 401:
      return "401 Unauthorized (a private feed may need its token in the URL)";
    case 403:
      return "403 Forbidden";
    case 404:
      return "404 Not Found (the feed may have moved; check its address)";
    case 410:
      return "410 Gone (the publisher removed this feed)";
    case 429:
      return "429 Too Many Requests (try again later)";
    default:
      break;
  }
  if (status >= 500) return std::to_string(status) + " (the server has a problem; try again later)";
  return std::to_string(status);
}

std::string extension_for(const Episode& e) {
  std::string path = e.enclosure_url.substr(0, e.enclosure_url.find_first_of("?#"));
  const auto slash = path.rfind('/');
  const auto dot = path.rfind('.');
  if (dot != std::string::npos && (slash == std::string::npos || dot > slash)) {
    auto ext = text::to_lower_ascii(path.substr(dot + 1));
    static const std::vector<std::string> kKnown = {"mp3",  "m4a", "mp4",  "aac",  "ogg", "oga",
                                                    "opus", "wav", "flac", "webm", "m4b"};
    for (const auto& k : kKnown)
      if (ext == k) return ext;
  }
  const auto type = text::to_lower_ascii(e.enclosure_type);
  if (type.find("mpeg") != std::string::npos) return "mp3";
  if (type.find("mp4") != std::string::npos || type.find("m4a") != std::string::npos) return "m4a";
  if (type.find("ogg") != std::string::npos || type.find("opus") != std::string::npos) return "ogg";
  if (type.find("wav") != std::string::npos) return "wav";
  if (type.find("flac") != std::string::npos) return "flac";
  return "audio";
}

// Copies what the feed says about the podcast onto the stored record, keeping identity and
// fetch state.
void merge_metadata(Podcast& stored, const Podcast& parsed) {
  stored.title = parsed.title;
  stored.author = parsed.author;
  stored.description = parsed.description;
  stored.link = parsed.link;
  stored.image_url = parsed.image_url;
  stored.language = parsed.language;
  stored.explicit_content = parsed.explicit_content;
  stored.podcast_guid = parsed.podcast_guid;
  stored.locked = parsed.locked;
  stored.locked_owner = parsed.locked_owner;
  stored.new_feed_url = parsed.new_feed_url;
  stored.persons = parsed.persons;
}

bool same_url(std::string_view a, std::string_view b) {
  auto strip = [](std::string_view s) {
    while (!s.empty() && s.back() == '/') s.remove_suffix(1);
    return text::to_lower_ascii(s);
  };
  return strip(a) == strip(b);
}

}  // namespace

struct Library::Fetched {
  bool not_modified = false;
  std::string url;  // the feed URL to store (after following itunes:new-feed-url)
  std::string etag;
  std::string last_modified;
  std::optional<feed::Feed> feed;
  std::string moved_to;
};

Library::Library(store::Store& store, net::HttpClient& http, LibraryOptions options)
    : store_(store), http_(http), options_(std::move(options)) {}

Result<std::string> Library::resolve_feed_address(const std::string& url_or_path) const {
  const auto input = std::string(text::trim(url_or_path));
  if (input.empty()) return invalid_input("no feed address given");
  if (input.find("://") != std::string::npos) return input;
  std::error_code ec;
  if (std::filesystem::exists(input, ec)) {
    if (!options_.allow_local_files)
      return forbidden("local files can only be added from the command line");
    return "file://" + std::filesystem::absolute(input).lexically_normal().string();
  }
  // "example.com/feed.xml": a web address typed without its scheme.
  if (input.find('.') != std::string::npos && input.find(' ') == std::string::npos &&
      input.front() != '/' && input.front() != '.')
    return "https://" + input;
  return invalid_input("'" + input + "' is neither a URL nor an existing file");
}

Result<Library::Fetched> Library::fetch_once(const std::string& url, const Podcast* known) {
  net::Request req;
  req.url = url;
  if (known != nullptr && same_url(known->feed_url, url)) {
    req.if_none_match = known->etag;
    req.if_modified_since = known->last_modified;
  }
  auto resp = http_.fetch(req);
  if (!resp) return resp.error();
  Fetched out;
  out.url = url;
  if (resp->not_modified()) {
    out.not_modified = true;
    out.etag = known ? known->etag : "";
    out.last_modified = known ? known->last_modified : "";
    return out;
  }
  if (resp->status < 200 || resp->status >= 300)
    return unavailable("the server answered " + describe_status(resp->status));
  auto parsed = feed::parse(resp->body, resp->final_url.empty() ? url : resp->final_url);
  if (!parsed) return parsed.error();
  out.etag = resp->header("etag");
  out.last_modified = resp->header("last-modified");
  out.feed = std::move(*parsed);
  return out;
}

Result<Library::Fetched> Library::fetch_feed(const std::string& url, const Podcast* known) {
  auto first = fetch_once(url, known);
  if (!first) return first.error().with_context(url);
  if (!first->feed) return first;
  const auto next = first->feed->podcast.new_feed_url;
  if (next.empty() || same_url(next, url) || next.find("://") == std::string::npos) return first;
  // The publisher moved the feed (itunes:new-feed-url). Take the new address when it serves
  // a feed; otherwise keep what the old one served and say so. One hop per fetch, so feeds
  // that point at each other cannot loop.
  auto moved = fetch_once(next, nullptr);
  if (!moved || !moved->feed) {
    first->feed->warnings.push_back(
        "the feed says it moved to " + next + ", but that address failed (" +
        (moved ? std::string("no feed") : moved.error().message) + "); still using " + url);
    return first;
  }
  moved->moved_to = next;
  return moved;
}

RefreshResult Library::refresh_podcast(Podcast podcast) {
  RefreshResult result;
  result.podcast_id = podcast.id;
  result.feed_url = podcast.feed_url;
  const Millis now = now_ms();
  auto fetched = fetch_feed(podcast.feed_url, &podcast);
  if (!fetched) {
    result.error = fetched.error().message;
    (void)store_.podcasts().record_fetch(podcast.id, now, result.error, podcast.etag,
                                         podcast.last_modified);
    return result;
  }
  if (fetched->not_modified) {
    result.outcome = RefreshOutcome::NotModified;
    if (auto s = store_.podcasts().record_fetch(podcast.id, now, "", podcast.etag,
                                                podcast.last_modified);
        !s) {
      result.outcome = RefreshOutcome::Failed;
      result.error = s.error().message;
    }
    return result;
  }
  auto& parsed = *fetched->feed;
  merge_metadata(podcast, parsed.podcast);
  if (!fetched->moved_to.empty()) {
    auto clash = store_.podcasts().find_by_feed_url(fetched->moved_to);
    if (clash && !clash->has_value()) {
      podcast.feed_url = fetched->moved_to;
      result.moved_to = fetched->moved_to;
    } else {
      parsed.warnings.push_back("the feed moved to " + fetched->moved_to +
                                ", which is already in the library as another podcast");
    }
  }
  podcast.etag = fetched->etag;
  podcast.last_modified = fetched->last_modified;
  podcast.last_fetched_at = now;
  podcast.last_success_at = now;
  podcast.last_error.clear();
  result.warnings = parsed.warnings;
  auto counts = store_.episodes().upsert(podcast.id, parsed.episodes);
  if (!counts) {
    result.error = counts.error().message;
    (void)store_.podcasts().record_fetch(podcast.id, now, result.error, "", "");
    return result;
  }
  if (auto s = store_.podcasts().update(podcast); !s) {
    result.error = s.error().message;
    return result;
  }
  result.episodes = *counts;
  result.feed_url = podcast.feed_url;
  result.outcome = RefreshOutcome::Updated;
  return result;
}

Result<SubscribeResult> Library::subscribe(const std::string& url_or_path, Id user_id) {
  auto url = resolve_feed_address(url_or_path);
  if (!url) return url.error();
  SubscribeResult out;
  auto existing = store_.podcasts().find_by_feed_url(*url);
  if (!existing) return existing.error();
  if (existing->has_value()) {
    // Already in the library (perhaps another user's): subscribe and bring it up to date.
    auto refreshed = refresh_podcast(**existing);
    HARK_TRY(store_.subscriptions().subscribe(user_id, (*existing)->id));
    auto podcast = store_.podcasts().find(refreshed.podcast_id);
    if (!podcast) return podcast.error();
    out.podcast = *podcast;
    out.episodes = refreshed.episodes;
    out.already_known = true;
    out.warnings = refreshed.warnings;
    if (refreshed.outcome == RefreshOutcome::Failed)
      out.warnings.push_back("refreshing failed: " + refreshed.error);
    return out;
  }

  auto fetched = fetch_feed(*url, nullptr);
  if (!fetched) return fetched.error();
  auto& parsed = *fetched->feed;
  Podcast podcast = parsed.podcast;
  podcast.feed_url = fetched->url;
  podcast.etag = fetched->etag;
  podcast.last_modified = fetched->last_modified;
  podcast.last_fetched_at = podcast.last_success_at = now_ms();
  if (fetched->url != *url) {
    // Subscribed through an old address: the moved feed may already be known.
    auto known = store_.podcasts().find_by_feed_url(fetched->url);
    if (!known) return known.error();
    if (known->has_value()) return subscribe(fetched->url, user_id);
  }
  auto inserted = store_.podcasts().insert(podcast);
  if (!inserted) return inserted.error();
  auto counts = store_.episodes().upsert(inserted->id, parsed.episodes);
  if (!counts) {
    (void)store_.podcasts().remove(inserted->id);  // leave the library as it was
    return counts.error();
  }
  HARK_TRY(store_.subscriptions().subscribe(user_id, inserted->id));
  out.podcast = *inserted;
  out.podcast.episode_count = counts->added + counts->updated + counts->unchanged;
  out.episodes = *counts;
  out.warnings = parsed.warnings;
  return out;
}

RefreshResult Library::refresh(Id podcast_id) {
  auto podcast = store_.podcasts().find(podcast_id);
  if (!podcast) {
    RefreshResult r;
    r.podcast_id = podcast_id;
    r.error = podcast.error().message;
    return r;
  }
  return refresh_podcast(*podcast);
}

Result<std::vector<RefreshResult>> Library::refresh_all(std::optional<Id> user_id,
                                                        const ProgressCallback& progress) {
  auto podcasts = store_.podcasts().list(user_id);
  if (!podcasts) return podcasts.error();
  const int total = static_cast<int>(podcasts->size());
  std::vector<RefreshResult> results(podcasts->size());
  HostLimiter limiter(std::max(1, options_.refresh_per_host));
  std::atomic<int> next{0};
  std::atomic<int> done{0};
  std::mutex progress_mutex;
  auto work = [&] {
    for (int i = next++; i < total; i = next++) {
      const auto& podcast = (*podcasts)[static_cast<std::size_t>(i)];
      const auto host = host_key(podcast.feed_url);
      limiter.acquire(host);
      results[static_cast<std::size_t>(i)] = refresh_podcast(podcast);
      limiter.release(host);
      const int finished = ++done;
      if (progress) {
        std::lock_guard lock(progress_mutex);
        progress(finished, total, podcast.feed_url);
      }
    }
  };
  const int threads = std::clamp(options_.refresh_concurrency, 1, std::max(1, total));
  std::vector<std::jthread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  pool.clear();  // joins
  return results;
}

Result<ImportResult> Library::import_opml(std::string_view opml, Id user_id,
                                          const ProgressCallback& progress) {
  auto entries = feed::parse_opml(opml);
  if (!entries) return entries.error();
  ImportResult out;
  std::vector<std::optional<Result<SubscribeResult>>> results(entries->size());
  HostLimiter limiter(std::max(1, options_.refresh_per_host));
  std::atomic<std::size_t> next{0};
  std::atomic<int> done{0};
  std::mutex progress_mutex;
  const int total = static_cast<int>(entries->size());
  auto work = [&] {
    for (std::size_t i = next++; i < entries->size(); i = next++) {
      const auto& url = (*entries)[i].xml_url;
      const auto host = host_key(url);
      limiter.acquire(host);
      results[i] = subscribe(url, user_id);
      limiter.release(host);
      const int finished = ++done;
      if (progress) {
        std::lock_guard lock(progress_mutex);
        progress(finished, total, url);
      }
    }
  };
  const int threads = std::clamp(options_.refresh_concurrency, 1, std::max(1, total));
  {
    std::vector<std::jthread> pool;
    for (int t = 1; t < threads; ++t) pool.emplace_back(work);
    work();
  }
  for (std::size_t i = 0; i < results.size(); ++i) {
    auto& r = *results[i];
    if (r)
      out.added.push_back(std::move(*r));
    else
      out.failed.emplace_back((*entries)[i].xml_url, r.error().message);
  }
  return out;
}

Result<std::string> Library::export_opml(std::optional<Id> user_id) {
  auto podcasts = store_.podcasts().list(user_id);
  if (!podcasts) return podcasts.error();
  std::vector<feed::OpmlEntry> entries;
  entries.reserve(podcasts->size());
  for (const auto& p : *podcasts) entries.push_back({p.title, p.feed_url, p.link});
  return feed::write_opml(entries);
}

Result<Episode> Library::download(Id episode_id, const net::ProgressFn& progress) {
  auto episode = store_.episodes().find(episode_id);
  if (!episode) return episode.error();
  if (episode->enclosure_url.empty())
    return invalid_input("episode " + std::to_string(episode_id) +
                         " has no audio file to download");
  const auto dir = options_.media_dir / std::to_string(episode->podcast_id);
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return internal_error("cannot create " + dir.string() + ": " + ec.message());
  const auto dest = dir / (std::to_string(episode->id) + "." + extension_for(*episode));
  media::DownloadOptions opts;
  opts.expected_length = episode->enclosure_length;
  opts.progress = progress;
  auto file = media::download(http_, episode->enclosure_url, dest, opts);
  if (!file) return file.error().with_context("downloading episode " + std::to_string(episode_id));
  HARK_TRY(store_.episodes().set_download(episode->id, file->path.string(), file->size));
  episode->download_path = file->path.string();
  episode->download_size = file->size;
  return episode;
}

}  // namespace hark::app
