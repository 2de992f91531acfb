#include "feed_json.hpp"

#include "core/time.hpp"

namespace hark::feed::testing {
namespace {

using nlohmann::json;

template <typename T>
json opt(const std::optional<T>& v) {
  return v ? json(*v) : json(nullptr);
}

json persons(const std::vector<Person>& ps) {
  json a = json::array();
  for (const auto& p : ps)
    a.push_back(
        {{"name", p.name}, {"role", p.role}, {"group", p.group}, {"img", p.img}, {"href", p.href}});
  return a;
}

json episode(const Episode& e) {
  json transcripts = json::array();
  for (const auto& t : e.transcripts)
    transcripts.push_back(
        {{"url", t.url}, {"type", t.type}, {"language", t.language}, {"rel", t.rel}});
  json soundbites = json::array();
  for (const auto& s : e.soundbites)
    soundbites.push_back(
        {{"start_ms", s.start_ms}, {"duration_ms", s.duration_ms}, {"title", s.title}});
  return {
      {"key", e.key},
      {"guid", e.guid},
      {"title", e.title},
      {"description", e.description},
      {"content_html", e.content_html},
      {"link", e.link},
      {"published", e.published_at ? json(format_iso8601(*e.published_at)) : json(nullptr)},
      {"duration_ms", opt(e.duration_ms)},
      {"enclosure",
       {{"url", e.enclosure_url}, {"type", e.enclosure_type}, {"length", e.enclosure_length}}},
      {"image_url", e.image_url},
      {"season", opt(e.season)},
      {"episode", opt(e.episode_number)},
      {"episode_type", e.episode_type},
      {"explicit", e.explicit_content},
      {"transcripts", transcripts},
      {"chapters", e.chapters_url.empty()
                       ? json(nullptr)
                       : json{{"url", e.chapters_url}, {"type", e.chapters_type}}},
      {"soundbites", soundbites},
      {"persons", persons(e.persons)},
  };
}

std::string show(const json& j) {
  auto s = j.dump();
  return s.size() > 300 ? s.substr(0, 300) + "..." : s;
}

}  // namespace

json to_json(const Feed& feed) {
  const auto& p = feed.podcast;
  json episodes = json::array();
  for (const auto& e : feed.episodes) episodes.push_back(episode(e));
  return {
      {"format", feed.format == Format::Atom ? "atom" : "rss"},
      {"podcast",
       {{"feed_url", p.feed_url},
        {"title", p.title},
        {"author", p.author},
        {"description", p.description},
        {"link", p.link},
        {"image_url", p.image_url},
        {"language", p.language},
        {"explicit", p.explicit_content},
        {"podcast_guid", p.podcast_guid},
        {"locked", p.locked},
        {"locked_owner", p.locked_owner},
        {"new_feed_url", p.new_feed_url},
        {"persons", persons(p.persons)}}},
      {"episodes", episodes},
      {"warnings", feed.warnings},
  };
}

json to_json(const std::vector<Chapter>& chapters) {
  json out = json::array();
  for (const auto& c : chapters)
    out.push_back({{"start_ms", c.start_ms},
                   {"end_ms", opt(c.end_ms)},
                   {"title", c.title},
                   {"url", c.url},
                   {"image_url", c.image_url},
                   {"toc", c.toc},
                   {"source", c.source}});
  return out;
}

std::vector<std::string> diff(const json& expected, const json& actual, const std::string& path) {
  std::vector<std::string> out;
  const auto here = path.empty() ? std::string("(root)") : path;
  if (expected.is_object()) {
    if (!actual.is_object()) return {here + ": expected an object, got " + show(actual)};
    for (const auto& [k, v] : expected.items()) {
      const auto sub = path.empty() ? k : path + "." + k;
      if (!actual.contains(k)) {
        out.push_back(sub + ": missing (expected " + show(v) + ")");
        continue;
      }
      auto d = diff(v, actual[k], sub);
      out.insert(out.end(), d.begin(), d.end());
    }
    return out;
  }
  if (expected.is_array()) {
    if (!actual.is_array()) return {here + ": expected an array, got " + show(actual)};
    if (expected.size() != actual.size())
      out.push_back(here + ": expected " + std::to_string(expected.size()) + " elements, got " +
                    std::to_string(actual.size()) + ": " + show(actual));
    const bool substrings = path == "warnings";
    for (std::size_t i = 0; i < std::min(expected.size(), actual.size()); ++i) {
      const auto sub = here + "[" + std::to_string(i) + "]";
      if (substrings && expected[i].is_string() && actual[i].is_string()) {
        if (actual[i].get<std::string>().find(expected[i].get<std::string>()) == std::string::npos)
          out.push_back(sub + ": expected to contain " + show(expected[i]) + ", got " +
                        show(actual[i]));
        continue;
      }
      auto d = diff(expected[i], actual[i], sub);
      out.insert(out.end(), d.begin(), d.end());
    }
    return out;
  }
  if (expected != actual)
    out.push_back(here + ": expected " + show(expected) + ", got " + show(actual));
  return out;
}

}  // namespace hark::feed::testing
