// Internal to the SQLite backend: hark's ranking function for the FTS5 passage index.
//
// FTS5's own bm25() counts every phrase's document frequency over the whole index on the
// first row it scores: for a phrase of common words ("the people") that walks the position
// lists of both words in every passage, and it is paid by every query however few rows are
// ranked. hark_bm25() is the same Okapi BM25 (k1 = 1.2, b = 0.75, FTS5's idf) except that
// the caller gives it the document frequencies: SqliteSearchRepo estimates them per word,
// cheaply (see search_repo.cpp), and a phrase weighs the sum of its words' idf, as Lucene's
// phrase queries do, instead of the phrase's own frequency.
//
//   hark_bm25(fts_table, stats [, length, average_length])
//
// `stats` lists the query's phrases in the order FTS5 numbers them (the MATCH expression's
// left to right), separated by ';'; each phrase lists its words separated by ' ', each word
// as "=N" (exactly N rows contain it) or "~F" (a fraction F of the rows contain it). A phrase
// missing from the list weighs nothing. `length` is the row's length and `average_length`
// the rows' average, in any one unit (words): given, they replace FTS5's token counts, which
// cost a lookup in FTS5's length table per row; a length of 0 or less falls back to them.
// The result is negative, more negative is better, like bm25(). A malformed `stats` is an
// SQL error.
#pragma once

#include <sqlite3.h>

#include "core/result.hpp"

namespace hark::store::sqlite {

// Registers hark_bm25() on the connection (FTS5 auxiliary functions are per connection).
Status register_fts_rank(sqlite3* db);

}  // namespace hark::store::sqlite
