#include "core/time.hpp"
#include "store/sqlite/codec.hpp"
#include "store/sqlite/repos.hpp"

namespace hark::store::sqlite {
namespace {

// The episode count is a column kept by triggers (migration 9).
constexpr std::string_view kSelectPodcast =
    "SELECT p.id, p.feed_url, p.title, p.author, p.description, p.link, p.image_url, "
    "p.language, p.explicit_content, p.podcast_guid, p.locked, p.locked_owner, "
    "p.new_feed_url, p.persons, p.etag, p.last_modified, p.last_fetched_at, "
    "p.last_success_at, p.last_error, p.episode_count "
    "FROM podcasts p ";

constexpr std::string_view kOrderByTitle = " ORDER BY p.title COLLATE NOCASE, p.id";

Result<Podcast> read_podcast(Row& row) {
  Podcast p;
  p.id = row.int64();
  p.feed_url = row.text();
  p.title = row.text();
  p.author = row.text();
  p.description = row.text();
  p.link = row.text();
  p.image_url = row.text();
  p.language = row.text();
  p.explicit_content = row.boolean();
  p.podcast_guid = row.text();
  p.locked = row.boolean();
  p.locked_owner = row.text();
  p.new_feed_url = row.text();
  auto persons = decode_persons(row.text());
  if (!persons) return persons.error().with_context("podcast " + std::to_string(p.id));
  p.persons = std::move(*persons);
  p.etag = row.text();
  p.last_modified = row.text();
  p.last_fetched_at = row.opt_int64();
  p.last_success_at = row.opt_int64();
  p.last_error = row.text();
  p.episode_count = row.int32();
  return p;
}

// Binds the podcast's stored fields, in the column order shared by INSERT and UPDATE.
void bind_podcast_fields(Statement& stmt, const Podcast& p) {
  stmt.bind_all(p.feed_url, p.title, p.author, p.description, p.link, p.image_url, p.language,
                p.explicit_content, p.podcast_guid, p.locked, p.locked_owner, p.new_feed_url,
                encode_persons(p.persons), p.etag, p.last_modified, p.last_fetched_at,
                p.last_success_at, p.last_error);
}
constexpr int kPodcastFieldCount = 18;

Error not_found_podcast(Id id) {
  return not_found("no podcast with id " + std::to_string(id));
}

Error duplicate_feed(const std::string& feed_url) {
  return conflict("a podcast with feed " + feed_url + " is already in the library");
}

Result<std::optional<Podcast>> select_podcast_by_id(Connection& conn, Id id) {
  auto stmt = conn.prepare(std::string(kSelectPodcast) + "WHERE p.id = ?");
  stmt.bind(1, id);
  return collect_one(stmt, read_podcast);
}

}  // namespace

Result<bool> row_exists(Connection& conn, std::string_view table, Id id) {
  auto stmt = conn.prepare("SELECT 1 FROM " + std::string(table) + " WHERE id = ?");
  stmt.bind(1, id);
  return stmt.step();
}

Status require_row(Connection& conn, std::string_view table, Id id, std::string_view noun) {
  auto exists = row_exists(conn, table, id);
  if (!exists) return exists.error();
  if (!*exists) return not_found("no " + std::string(noun) + " with id " + std::to_string(id));
  return ok();
}

Result<Podcast> SqlitePodcastRepo::insert(const Podcast& podcast) {
  if (podcast.feed_url.empty()) return invalid_input("a podcast needs a feed URL");
  return db_.write([&](Connection& conn) -> Result<Podcast> {
    auto stmt = conn.prepare(
        "INSERT INTO podcasts (feed_url, title, author, description, link, image_url, "
        "language, explicit_content, podcast_guid, locked, locked_owner, new_feed_url, "
        "persons, etag, last_modified, last_fetched_at, last_success_at, last_error, "
        "created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
    bind_podcast_fields(stmt, podcast);
    const Millis now = now_ms();
    stmt.bind(kPodcastFieldCount + 1, now).bind(kPodcastFieldCount + 2, now);
    auto inserted = stmt.step();
    if (!inserted) {
      if (inserted.error().code == ErrorCode::Conflict) return duplicate_feed(podcast.feed_url);
      return inserted.error();
    }
    if (!*inserted) return internal_error("inserting a podcast returned no id");
    Podcast stored = podcast;
    stored.id = stmt.int64(0);
    stored.episode_count = 0;
    return stored;
  });
}

Status SqlitePodcastRepo::update(const Podcast& podcast) {
  if (podcast.feed_url.empty()) return invalid_input("a podcast needs a feed URL");
  return db_.write([&](Connection& conn) -> Status {
    auto stmt = conn.prepare(
        "UPDATE podcasts SET feed_url = ?, title = ?, author = ?, description = ?, link = ?, "
        "image_url = ?, language = ?, explicit_content = ?, podcast_guid = ?, locked = ?, "
        "locked_owner = ?, new_feed_url = ?, persons = ?, etag = ?, last_modified = ?, "
        "last_fetched_at = ?, last_success_at = ?, last_error = ?, updated_at = ? "
        "WHERE id = ?");
    bind_podcast_fields(stmt, podcast);
    stmt.bind(kPodcastFieldCount + 1, now_ms()).bind(kPodcastFieldCount + 2, podcast.id);
    if (auto s = stmt.run(); !s) {
      if (s.error().code == ErrorCode::Conflict) return duplicate_feed(podcast.feed_url);
      return s;
    }
    if (conn.changes() == 0) return not_found_podcast(podcast.id);
    return ok();
  });
}

Status SqlitePodcastRepo::record_fetch(Id podcast_id, Millis at, const std::string& error,
                                       const std::string& etag, const std::string& last_modified) {
  return db_.write([&](Connection& conn) -> Status {
    // ?2 is the error: empty means the fetch succeeded.
    auto stmt = conn.prepare(
        "UPDATE podcasts SET last_fetched_at = ?1, last_error = ?2, "
        "last_success_at = CASE WHEN ?2 = '' THEN ?1 ELSE last_success_at END, "
        "etag = CASE WHEN ?2 = '' AND ?3 <> '' THEN ?3 ELSE etag END, "
        "last_modified = CASE WHEN ?2 = '' AND ?4 <> '' THEN ?4 ELSE last_modified END, "
        "updated_at = ?5 "
        "WHERE id = ?6");
    stmt.bind_all(at, error, etag, last_modified, now_ms(), podcast_id);
    HARK_TRY(stmt.run());
    if (conn.changes() == 0) return not_found_podcast(podcast_id);
    return ok();
  });
}

Result<Podcast> SqlitePodcastRepo::find(Id id) {
  auto found = db_.read([&](Connection& conn) { return select_podcast_by_id(conn, id); });
  if (!found) return found.error();
  if (!*found) return not_found_podcast(id);
  return **found;
}

Result<std::optional<Podcast>> SqlitePodcastRepo::find_by_feed_url(const std::string& feed_url) {
  return db_.read([&](Connection& conn) {
    auto stmt = conn.prepare(std::string(kSelectPodcast) + "WHERE p.feed_url = ?");
    stmt.bind(1, feed_url);
    return collect_one(stmt, read_podcast);
  });
}

Result<std::vector<Podcast>> SqlitePodcastRepo::list(std::optional<Id> user_id) {
  return db_.read([&](Connection& conn) {
    if (!user_id) {
      auto stmt = conn.prepare(std::string(kSelectPodcast) + std::string(kOrderByTitle));
      return collect_all(stmt, read_podcast);
    }
    auto stmt = conn.prepare(std::string(kSelectPodcast) +
                             "JOIN subscriptions s ON s.podcast_id = p.id AND s.user_id = ?" +
                             std::string(kOrderByTitle));
    stmt.bind(1, *user_id);
    return collect_all(stmt, read_podcast);
  });
}

Status SqlitePodcastRepo::remove(Id id) {
  return db_.write([&](Connection& conn) -> Status {
    auto stmt = conn.prepare("DELETE FROM podcasts WHERE id = ?");
    HARK_TRY(stmt.bind(1, id).run());
    if (conn.changes() == 0) return not_found_podcast(id);
    return ok();
  });
}

}  // namespace hark::store::sqlite
