#include <tuple>

#include "core/time.hpp"
#include "store/sqlite/codec.hpp"
#include "store/sqlite/repos.hpp"

namespace hark::store::sqlite {
namespace {

constexpr std::string_view kSelectEpisode =
    "SELECT id, podcast_id, key, guid, title, description, content_html, link, published_at, "
    "duration_ms, enclosure_url, enclosure_type, enclosure_length, image_url, season, "
    "episode_number, episode_type, explicit_content, transcripts, chapters_url, "
    "chapters_type, soundbites, persons, download_path, download_size FROM episodes ";

// Newest first; undated episodes sort last (NULL is lowest in SQLite), then newest id.
constexpr std::string_view kNewestFirst = " ORDER BY published_at DESC, id DESC LIMIT ?";

Result<Episode> read_episode(Row& row) {
  Episode e;
  e.id = row.int64();
  const auto context = [&] { return "episode " + std::to_string(e.id); };
  e.podcast_id = row.int64();
  e.key = row.text();
  e.guid = row.text();
  e.title = row.text();
  e.description = row.text();
  e.content_html = row.text();
  e.link = row.text();
  e.published_at = row.opt_int64();
  e.duration_ms = row.opt_int64();
  e.enclosure_url = row.text();
  e.enclosure_type = row.text();
  e.enclosure_length = row.int64();
  e.image_url = row.text();
  e.season = row.opt_int32();
  e.episode_number = row.opt_int32();
  e.episode_type = row.text();
  e.explicit_content = row.boolean();
  auto transcripts = decode_transcripts(row.text());
  if (!transcripts) return transcripts.error().with_context(context());
  e.transcripts = std::move(*transcripts);
  e.chapters_url = row.text();
  e.chapters_type = row.text();
  auto soundbites = decode_soundbites(row.text());
  if (!soundbites) return soundbites.error().with_context(context());
  e.soundbites = std::move(*soundbites);
  auto persons = decode_persons(row.text());
  if (!persons) return persons.error().with_context(context());
  e.persons = std::move(*persons);
  e.download_path = row.text();
  e.download_size = row.int64();
  return e;
}

// Everything the feed says about an episode: what upsert compares and writes. Identity
// (id, podcast_id, key) and local state (download_*) are deliberately not part of it.
auto feed_fields(const Episode& e) {
  return std::tie(e.guid, e.title, e.description, e.content_html, e.link, e.published_at,
                  e.duration_ms, e.enclosure_url, e.enclosure_type, e.enclosure_length, e.image_url,
                  e.season, e.episode_number, e.episode_type, e.explicit_content, e.transcripts,
                  e.chapters_url, e.chapters_type, e.soundbites, e.persons);
}

// Binds feed_fields() in order, the JSON lists encoded.
void bind_feed_fields(Statement& stmt, const Episode& e) {
  stmt.bind_all(e.guid, e.title, e.description, e.content_html, e.link, e.published_at,
                e.duration_ms, e.enclosure_url, e.enclosure_type, e.enclosure_length, e.image_url,
                e.season, e.episode_number, e.episode_type, e.explicit_content,
                encode_transcripts(e.transcripts), e.chapters_url, e.chapters_type,
                encode_soundbites(e.soundbites), encode_persons(e.persons));
}
constexpr int kFeedFieldCount = 20;

Result<std::optional<Episode>> select_by_key(Connection& conn, Id podcast_id,
                                             const std::string& key) {
  auto stmt = conn.prepare(std::string(kSelectEpisode) + "WHERE podcast_id = ? AND key = ?");
  stmt.bind_all(podcast_id, key);
  return collect_one(stmt, read_episode);
}

Result<Id> insert_episode(Connection& conn, Id podcast_id, const Episode& e) {
  auto stmt = conn.prepare(
      "INSERT INTO episodes (guid, title, description, content_html, link, published_at, "
      "duration_ms, enclosure_url, enclosure_type, enclosure_length, image_url, season, "
      "episode_number, episode_type, explicit_content, transcripts, chapters_url, "
      "chapters_type, soundbites, persons, podcast_id, key, created_at, updated_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
      "RETURNING id");
  bind_feed_fields(stmt, e);
  const Millis now = now_ms();
  stmt.bind(kFeedFieldCount + 1, podcast_id)
      .bind(kFeedFieldCount + 2, e.key)
      .bind(kFeedFieldCount + 3, now)
      .bind(kFeedFieldCount + 4, now);
  auto has_row = stmt.step();
  if (!has_row) return has_row.error();
  if (!*has_row) return internal_error("inserting an episode returned no id");
  return stmt.int64(0);
}

// Writes the feed fields only: download_path/download_size are left as they are.
Status update_feed_fields(Connection& conn, Id episode_id, const Episode& e) {
  auto stmt = conn.prepare(
      "UPDATE episodes SET guid = ?, title = ?, description = ?, content_html = ?, link = ?, "
      "published_at = ?, duration_ms = ?, enclosure_url = ?, enclosure_type = ?, "
      "enclosure_length = ?, image_url = ?, season = ?, episode_number = ?, episode_type = ?, "
      "explicit_content = ?, transcripts = ?, chapters_url = ?, chapters_type = ?, "
      "soundbites = ?, persons = ?, updated_at = ? WHERE id = ?");
  bind_feed_fields(stmt, e);
  stmt.bind(kFeedFieldCount + 1, now_ms()).bind(kFeedFieldCount + 2, episode_id);
  return stmt.run();
}

// Adds, updates or leaves one episode and counts which it was.
Status upsert_one(Connection& conn, Id podcast_id, const Episode& incoming, UpsertCounts& counts) {
  // Checked here rather than before the transaction: the rollback then also undoes the
  // episodes already written, which keeps "all or nothing" honest (and tested).
  if (incoming.key.empty()) {
    return invalid_input("episode '" + incoming.title + "' has no key; nothing was stored");
  }
  auto existing = select_by_key(conn, podcast_id, incoming.key);
  if (!existing) return existing.error();
  if (!*existing) {
    auto id = insert_episode(conn, podcast_id, incoming);
    if (!id) return id.error();
    ++counts.added;
    counts.added_ids.push_back(*id);
    return ok();
  }
  if (feed_fields(**existing) == feed_fields(incoming)) {
    ++counts.unchanged;
    return ok();
  }
  HARK_TRY(update_feed_fields(conn, (*existing)->id, incoming));
  ++counts.updated;
  return ok();
}

Error not_found_episode(Id id) {
  return not_found("no episode with id " + std::to_string(id));
}

// Two ways to find a subscriber's newest episodes; which is cheaper depends on how much of
// the library the user subscribes to. Walking episodes_by_published_podcast (all episodes
// newest first, with their podcast) and checking each one's subscription stops as soon as
// the page is full: it reads about (offset + limit) × library / subscribed entries, at most
// ~0.1 µs each. Sorting the subscribed episodes' ids (from the per-podcast index) reads
// every subscribed episode. With 100,000 episodes all subscribed, offset 4,000: walking
// ~0.5 ms, sorting ~6.5 ms; subscribed to 1 podcast of 100, offset 950: walking would read
// ~100,000 entries, sorting 1,000.
struct SubscribedShare {
  std::int64_t subscribed = 0;  // episodes of the user's podcasts
  std::int64_t library = 0;     // episodes of every podcast
};

Result<SubscribedShare> subscribed_share(Connection& conn, Id user_id) {
  auto stmt = conn.prepare(
      "SELECT (SELECT coalesce(sum(p.episode_count), 0) FROM subscriptions s "
      "JOIN podcasts p ON p.id = s.podcast_id WHERE s.user_id = ?), "
      "(SELECT coalesce(sum(episode_count), 0) FROM podcasts)");
  stmt.bind(1, user_id);
  auto has_row = stmt.step();
  if (!has_row) return has_row.error();
  if (!*has_row) return SubscribedShare{};
  return SubscribedShare{stmt.int64(0), stmt.int64(1)};
}

bool walk_is_cheaper(const SubscribedShare& share, std::int64_t rows_needed) {
  if (share.subscribed <= 0) return false;
  // walk ≈ rows_needed × library / subscribed entries; sort ≈ subscribed entries.
  return rows_needed * share.library <= share.subscribed * share.subscribed;
}

// "Subscribed" as a check per episode, which leaves the planner only the ordered index.
constexpr std::string_view kSubscribedRow =
    "EXISTS (SELECT 1 FROM subscriptions s WHERE s.user_id = ?1 AND s.podcast_id = e.podcast_id)";
constexpr std::string_view kSubscribedSet =
    "e.podcast_id IN (SELECT podcast_id FROM subscriptions WHERE user_id = ?1)";
// Strictly after a dated cursor (?2 published_at, ?3 id), dated episodes only: a row value
// compares as NULL for undated rows, which come after every dated one and are read apart.
constexpr std::string_view kBeforeDated = "(e.published_at, e.id) < (?2, ?3)";
constexpr std::string_view kUndatedBefore = "e.published_at IS NULL AND e.id < ?3";
constexpr std::string_view kUndated = "e.published_at IS NULL";

// The full rows of `ids`, newest first. Reading ids first keeps the sort (or walk) on the
// covering indexes: sorting the rows with all their columns (show notes included) cost
// ~0.3 s at offset 4,000 in a 100,000-episode library.
Result<std::vector<Episode>> rows_in_order(Connection& conn, const std::vector<Id>& ids) {
  std::vector<Episode> out;
  out.reserve(ids.size());
  auto stmt = conn.prepare(std::string(kSelectEpisode) + "WHERE id = ?");
  for (const Id id : ids) {
    stmt.bind(1, id);
    auto found = collect_one(stmt, read_episode);
    if (!found) return found.error();
    if (*found) out.push_back(std::move(**found));
    if (auto s = stmt.reset(); !s) return s.error();
  }
  return out;
}

// Appends the ids a query yields (first column) to `ids`.
Status append_ids(Statement& stmt, std::vector<Id>& ids) {
  while (true) {
    auto has_row = stmt.step();
    if (!has_row) return has_row.error();
    if (!*has_row) return ok();
    ids.push_back(stmt.int64(0));
  }
}

// The ids of one keyset page: `filter` selects the episodes (?1 is its parameter); the
// dated ones after the cursor first, then, if the page is not full, the undated ones.
Result<std::vector<Id>> keyset_ids(Connection& conn, std::string_view filter, Id filter_value,
                                   int limit, const EpisodeCursor& after) {
  std::vector<Id> ids;
  const auto query = [&](std::string_view range, int n) -> Status {
    auto stmt =
        conn.prepare("SELECT e.id FROM episodes e WHERE " + std::string(filter) + " AND " +
                     std::string(range) + " ORDER BY e.published_at DESC, e.id DESC LIMIT ?4");
    stmt.bind(1, filter_value);
    if (after.published_at) stmt.bind(2, *after.published_at);
    stmt.bind(3, after.id).bind(4, n);
    return append_ids(stmt, ids);
  };
  if (limit == 0) return ids;
  if (!after.published_at) {
    HARK_TRY(query(kUndatedBefore, limit));
    return ids;
  }
  HARK_TRY(query(kBeforeDated, limit));
  const int left = limit < 0 ? -1 : limit - static_cast<int>(ids.size());
  if (left != 0) HARK_TRY(query(kUndated, left));
  return ids;
}

}  // namespace

Result<UpsertCounts> SqliteEpisodeRepo::upsert(Id podcast_id,
                                               const std::vector<Episode>& episodes) {
  return db_.write([&](Connection& conn) -> Result<UpsertCounts> {
    HARK_TRY(require_row(conn, "podcasts", podcast_id, "podcast"));
    UpsertCounts counts;
    for (const auto& e : episodes) HARK_TRY(upsert_one(conn, podcast_id, e, counts));
    return counts;
  });
}

Result<Episode> SqliteEpisodeRepo::find(Id id) {
  auto found = db_.read([&](Connection& conn) {
    auto stmt = conn.prepare(std::string(kSelectEpisode) + "WHERE id = ?");
    stmt.bind(1, id);
    return collect_one(stmt, read_episode);
  });
  if (!found) return found.error();
  if (!*found) return not_found_episode(id);
  return **found;
}

Result<std::vector<Episode>> SqliteEpisodeRepo::list(std::optional<Id> podcast_id, int limit) {
  return db_.read([&](Connection& conn) {
    if (!podcast_id) {
      auto stmt = conn.prepare(std::string(kSelectEpisode) + std::string(kNewestFirst));
      stmt.bind(1, limit);  // SQLite treats a negative LIMIT as none
      return collect_all(stmt, read_episode);
    }
    auto stmt = conn.prepare(std::string(kSelectEpisode) + "WHERE podcast_id = ?" +
                             std::string(kNewestFirst));
    stmt.bind_all(*podcast_id, limit);
    return collect_all(stmt, read_episode);
  });
}

Result<std::vector<Episode>> SqliteEpisodeRepo::page(Id podcast_id, int limit, int offset) {
  return db_.read([&](Connection& conn) {
    auto stmt = conn.prepare(std::string(kSelectEpisode) + "WHERE podcast_id = ?" +
                             std::string(kNewestFirst) + " OFFSET ?");
    stmt.bind_all(podcast_id, limit, offset < 0 ? 0 : offset);
    return collect_all(stmt, read_episode);
  });
}

Status SqliteEpisodeRepo::set_download(Id episode_id, const std::string& path, std::int64_t size) {
  return db_.write([&](Connection& conn) -> Status {
    auto stmt = conn.prepare(
        "UPDATE episodes SET download_path = ?, download_size = ?, updated_at = ? WHERE id = ?");
    HARK_TRY(stmt.bind_all(path, size, now_ms(), episode_id).run());
    if (conn.changes() == 0) return not_found_episode(episode_id);
    return ok();
  });
}

Result<std::vector<Episode>> SqliteEpisodeRepo::page_for_user(Id user_id, int limit, int offset) {
  if (offset < 0) offset = 0;
  return db_.read([&](Connection& conn) -> Result<std::vector<Episode>> {
    auto snapshot = ReadSnapshot::begin(conn);
    if (!snapshot) return snapshot.error();
    auto share = subscribed_share(conn, user_id);
    if (!share) return share.error();
    const std::int64_t needed = limit < 0 ? share->subscribed : std::int64_t{limit} + offset;
    const std::string_view filter =
        walk_is_cheaper(*share, needed) ? kSubscribedRow : kSubscribedSet;
    auto stmt = conn.prepare("SELECT e.id FROM episodes e WHERE " + std::string(filter) +
                             " ORDER BY e.published_at DESC, e.id DESC LIMIT ?2 OFFSET ?3");
    stmt.bind_all(user_id, limit, offset);
    std::vector<Id> ids;
    HARK_TRY(append_ids(stmt, ids));
    return rows_in_order(conn, ids);
  });
}

Result<std::vector<Episode>> SqliteEpisodeRepo::page_after(Id podcast_id, int limit,
                                                           const EpisodeCursor& after) {
  return db_.read([&](Connection& conn) -> Result<std::vector<Episode>> {
    auto snapshot = ReadSnapshot::begin(conn);
    if (!snapshot) return snapshot.error();
    auto ids = keyset_ids(conn, "e.podcast_id = ?1", podcast_id, limit, after);
    if (!ids) return ids.error();
    return rows_in_order(conn, *ids);
  });
}

Result<std::vector<Episode>> SqliteEpisodeRepo::page_for_user_after(Id user_id, int limit,
                                                                    const EpisodeCursor& after) {
  return db_.read([&](Connection& conn) -> Result<std::vector<Episode>> {
    auto snapshot = ReadSnapshot::begin(conn);
    if (!snapshot) return snapshot.error();
    auto share = subscribed_share(conn, user_id);
    if (!share) return share.error();
    const std::int64_t needed = limit < 0 ? share->subscribed : limit;
    auto ids = keyset_ids(conn, walk_is_cheaper(*share, needed) ? kSubscribedRow : kSubscribedSet,
                          user_id, limit, after);
    if (!ids) return ids.error();
    return rows_in_order(conn, *ids);
  });
}

Result<std::vector<EpisodeUserState>> SqliteEpisodeRepo::user_states(
    Id user_id, const std::vector<Id>& episode_ids) {
  return db_.read([&](Connection& conn) -> Result<std::vector<EpisodeUserState>> {
    auto snapshot = ReadSnapshot::begin(conn);
    if (!snapshot) return snapshot.error();
    auto stmt = conn.prepare(
        "SELECT p.position_ms, p.duration_ms, p.played, p.updated_at, "
        "EXISTS (SELECT 1 FROM transcripts t WHERE t.episode_id = ?2), "
        "(SELECT count(*) FROM chapters c WHERE c.episode_id = ?2) "
        "FROM (SELECT 1) LEFT JOIN positions p ON p.user_id = ?1 AND p.episode_id = ?2");
    std::vector<EpisodeUserState> out;
    out.reserve(episode_ids.size());
    for (const Id id : episode_ids) {
      stmt.bind_all(user_id, id);
      auto has_row = stmt.step();
      if (!has_row) return has_row.error();
      EpisodeUserState state;
      state.episode_id = id;
      if (*has_row) {
        if (!stmt.is_null(0)) {
          Position p;
          p.user_id = user_id;
          p.episode_id = id;
          p.position_ms = stmt.int64(0);
          if (!stmt.is_null(1)) p.duration_ms = stmt.int64(1);
          p.played = stmt.int64(2) != 0;
          p.updated_at = stmt.int64(3);
          state.position = p;
        }
        state.transcript_ready = stmt.int64(4) != 0;
        state.chapter_count = static_cast<int>(stmt.int64(5));
      }
      out.push_back(std::move(state));
      if (auto s = stmt.reset(); !s) return s.error();
    }
    return out;
  });
}

}  // namespace hark::store::sqlite
