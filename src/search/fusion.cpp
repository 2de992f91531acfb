#include "search/fusion.hpp"

#include <algorithm>
#include <map>
#include <unordered_map>
#include <utility>

namespace hark::search {

std::vector<SearchHit> fuse(const std::vector<SearchHit>& lexical,
                            const std::vector<SearchHit>& semantic, const FusionOptions& options) {
  std::map<std::pair<HitKind, Id>, std::size_t> index;
  std::vector<SearchHit> out;
  const auto add = [&](const std::vector<SearchHit>& list, double weight) {
    for (std::size_t rank = 0; rank < list.size(); ++rank) {
      const double score = weight / (options.k + static_cast<double>(rank + 1));
      const auto key = std::pair(list[rank].kind, list[rank].ref_id);
      auto [it, inserted] = index.emplace(key, out.size());
      if (inserted) {
        out.push_back(list[rank]);
        out.back().score = score;
      } else {
        out[it->second].score += score;
      }
    }
  };
  add(lexical, options.lexical_weight);
  add(semantic, options.semantic_weight);
  std::stable_sort(out.begin(), out.end(),
                   [](const SearchHit& a, const SearchHit& b) { return a.score > b.score; });
  return out;
}

std::vector<SearchHit> drop_overlapping(const std::vector<SearchHit>& hits) {
  std::vector<SearchHit> out;
  std::unordered_map<Id, std::vector<std::pair<Millis, Millis>>> taken;
  std::unordered_map<Id, bool> whole_episode;
  for (const auto& hit : hits) {
    if (hit.kind == HitKind::Episode) {
      if (whole_episode[hit.episode_id]) continue;
      whole_episode[hit.episode_id] = true;
      out.push_back(hit);
      continue;
    }
    auto& ranges = taken[hit.episode_id];
    const bool overlaps = std::any_of(ranges.begin(), ranges.end(), [&](const auto& r) {
      // Half-open ranges; a zero-length range overlaps one that contains its point.
      const Millis end = std::max(hit.end_ms, hit.start_ms + 1);
      return hit.start_ms < std::max(r.second, r.first + 1) && r.first < end;
    });
    if (overlaps) continue;
    ranges.emplace_back(hit.start_ms, hit.end_ms);
    out.push_back(hit);
  }
  return out;
}

std::vector<SearchHit> group_by_episode(const std::vector<SearchHit>& hits) {
  std::vector<Id> order;
  std::unordered_map<Id, std::vector<const SearchHit*>> groups;
  for (const auto& hit : hits) {
    auto& group = groups[hit.episode_id];
    if (group.empty()) order.push_back(hit.episode_id);
    group.push_back(&hit);
  }
  std::vector<SearchHit> out;
  out.reserve(hits.size());
  for (Id id : order) {
    for (const auto* hit : groups[id]) out.push_back(*hit);
  }
  return out;
}

}  // namespace hark::search
