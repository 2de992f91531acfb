#include "search/hit_json.hpp"

#include "core/text.hpp"
#include "core/time.hpp"

namespace hark::search {

std::string_view to_string(HitKind kind) {
  switch (kind) {
    case HitKind::Passage:
      return "passage";
    case HitKind::Snip:
      return "snip";
    case HitKind::Episode:
      return "episode";
  }
  return "passage";
}

std::string snippet_with(std::string_view marked, std::string_view open, std::string_view close) {
  std::string out;
  out.reserve(marked.size() + 16);
  for (char c : marked) {
    if (c == kMarkOpen) {
      out += open;
    } else if (c == kMarkClose) {
      out += close;
    } else {
      out += c;
    }
  }
  return out;
}

std::string snippet_text(std::string_view marked) {
  return snippet_with(marked, "", "");
}

std::string snippet_html(std::string_view marked) {
  std::string out;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= marked.size(); ++i) {
    if (i == marked.size() || marked[i] == kMarkOpen || marked[i] == kMarkClose) {
      text::append_escaped_html(out, marked.substr(start, i - start));
      if (i < marked.size()) out += marked[i] == kMarkOpen ? "<mark>" : "</mark>";
      start = i + 1;
    }
  }
  return out;
}

nlohmann::json hit_json(const SearchHit& hit) {
  return {{"kind", to_string(hit.kind)},
          {"id", hit.ref_id},
          {"episode_id", hit.episode_id},
          {"podcast_id", hit.podcast_id},
          {"start_ms", hit.start_ms},
          {"end_ms", hit.end_ms},
          {"podcast_title", hit.podcast_title},
          {"episode_title", hit.episode_title},
          {"published_at", hit.published_at ? nlohmann::json(format_iso8601(*hit.published_at))
                                            : nlohmann::json(nullptr)},
          {"speaker", hit.speaker},
          {"snippet", snippet_text(hit.snippet)},
          {"snippet_html", snippet_html(hit.snippet)},
          {"score", hit.score}};
}

}  // namespace hark::search
