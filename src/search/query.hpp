// Reading what a person types into a search box. Pure functions: thread-safe.
//
// The language is small on purpose: words (all must match; stemming happens in the index),
// "exact phrases", prefix* words and -exclusions (-word, -"phrase"). Everything else is a
// separator, so FTS5 syntax ( ) : ^ + NEAR AND OR, stray quotes and control characters can
// never reach the index as syntax: a term is always plain words.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "core/search.hpp"

namespace hark::search {

inline constexpr std::size_t kMaxQueryBytes = 1000;
inline constexpr std::size_t kMaxQueryTerms = 32;

// Parses a query. An unbalanced quote runs to the end of the query; invalid UTF-8 is
// replaced. InvalidInput (with a message for the person searching) when there is nothing to
// search for (empty, only punctuation, only -exclusions), or the query is longer than
// kMaxQueryBytes or has more than kMaxQueryTerms terms.
Result<TextQuery> parse_query(std::string_view input);

// The words to look for, space-separated, without operators or exclusions: what a meaning
// (embedding) search is given.
std::string meaning_text(const TextQuery& query);

}  // namespace hark::search
