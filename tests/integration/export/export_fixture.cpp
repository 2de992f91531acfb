#include "export_fixture.hpp"

#include <stdexcept>

namespace hark::testing {
namespace {

template <typename T>
T must(Result<T> r, const char* what) {
  if (!r) throw std::runtime_error(std::string(what) + ": " + r.error().message);
  return std::move(*r);
}

}  // namespace

ExportLibrary::ExportLibrary() {
  store = must(store::sqlite::open(dir / "hark.db"), "open");
  user = must(store->users().default_user(), "user").id;
  Podcast p;
  p.feed_url = "https://tea.example.org/feed.xml";
  p.title = "The Tea Hour";
  p.author = "Ada Leaf";
  p.image_url = "https://tea.example.org/art.jpg";
  podcast = must(store->podcasts().insert(p), "podcast");
  if (!store->subscriptions().subscribe(user, podcast.id)) throw std::runtime_error("subscribe");
  Episode a;
  a.key = "ep-1";
  a.title = "Green tea";
  a.link = "https://tea.example.org/1";
  a.published_at = 1'700'000'000'000;
  Episode b;
  b.key = "ep-2";
  b.title = "Oolong";
  b.published_at = 1'700'600'000'000;
  must(store->episodes().upsert(podcast.id, {a, b}), "episodes");
  episodes = must(store->episodes().list(podcast.id), "list");
  std::sort(episodes.begin(), episodes.end(), [](auto& x, auto& y) { return x.id < y.id; });
  store::StoredSummary summary;
  summary.episode_id = episodes[0].id;
  summary.abstract = "All about green tea.";
  summary.takeaways = {"Brew cooler."};
  if (!store->summaries().put(summary)) throw std::runtime_error("summary");
  const auto add = [&](Id episode, Millis start, const std::string& title,
                       const std::string& quote) {
    store::Snip s;
    s.user_id = user;
    s.episode_id = episode;
    s.start_ms = start;
    s.end_ms = start + 20'000;
    s.title = title;
    s.summary = title + ", in short.";
    s.takeaways = {title + " matters."};
    s.quote = quote;
    s.quote_speaker = "Ada Leaf";
    s.engine = "extractive";
    snips.push_back(must(store->snips().insert(s), "snip"));
  };
  add(episodes[0].id, 65'000, "Calm focus", "Theanine calms the mind.");
  add(episodes[0].id, 754'000, "Temperature", "Never use boiling water.");
  add(episodes[1].id, 30'000, "Oolong roast", "Roasting changes everything.");
}

std::unique_ptr<net::HttpClient> ExportLibrary::loopback_client() {
  net::Policy policy;
  policy.allow_private_networks = true;
  policy.timeout_ms = 10'000;
  return net::make_http_client(policy);
}

}  // namespace hark::testing
