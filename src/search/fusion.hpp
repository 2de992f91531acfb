// Combining ranked result lists. Pure functions: thread-safe.
#pragma once

#include <vector>

#include "core/search.hpp"

namespace hark::search {

struct FusionOptions {
  double lexical_weight = 1.0;
  double semantic_weight = 1.0;
  double k = 60;  // the RRF constant: larger flattens the advantage of the first ranks
};

// Reciprocal-rank fusion of two lists ranked best first: a hit's score is the sum over the
// lists it appears in of weight / (k + rank), rank from 1. A hit in both lists (same kind
// and ref_id) appears once, with the lexical hit's fields (its snippet marks the words).
// Best first.
std::vector<SearchHit> fuse(const std::vector<SearchHit>& lexical,
                            const std::vector<SearchHit>& semantic, const FusionOptions& options);

// Drops every moment (passage or snip) whose time range overlaps a better one's in the same
// episode, and a second hit for the same whole episode. `hits` best first; order kept.
std::vector<SearchHit> drop_overlapping(const std::vector<SearchHit>& hits);

// Groups by episode: episodes in the order of their best hit, each episode's hits best
// first. `hits` best first.
std::vector<SearchHit> group_by_episode(const std::vector<SearchHit>& hits);

}  // namespace hark::search
