// Restoring a backup (hark import json) into an empty library, ids and times as they were,
// and merging one into a library that may hold part of it.
#include <map>
#include <nlohmann/json.hpp>
#include <optional>

#include "core/time.hpp"
#include "store/sqlite/codec.hpp"
#include "store/sqlite/repos.hpp"

namespace hark::store::sqlite {
namespace {

std::string encode_strings(const std::vector<std::string>& items) {
  return nlohmann::json(items).dump();
}

// The first column of the first row, if any.
Result<std::optional<std::int64_t>> first_int(Statement& stmt) {
  auto has = stmt.step();
  if (!has) return has.error();
  if (!*has) return std::optional<std::int64_t>();
  return std::optional<std::int64_t>(stmt.int64(0));
}

// The id an INSERT ... RETURNING id gave its row.
Result<Id> inserted_id(Statement& insert) {
  auto id = first_int(insert);
  if (!id) return id.error();
  if (!*id) return internal_error("an insert returned no id");
  return **id;
}

// The inserts restore and merge share. `id` is the row's id (null: SQLite picks one); the
// rest of a row is the backup's, with the ids it refers to already those of the library.

Result<Id> insert_podcast(Connection& conn, const Podcast& p, std::optional<Id> id, Millis now) {
  return inserted_id(
      conn.prepare("INSERT INTO podcasts (id, feed_url, title, author, description, link, "
                   "image_url, language, explicit_content, podcast_guid, locked, locked_owner, "
                   "new_feed_url, persons, etag, last_modified, last_fetched_at, "
                   "last_success_at, last_error, created_at, updated_at) VALUES "
                   "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id")
          .bind_all(id, p.feed_url, p.title, p.author, p.description, p.link, p.image_url,
                    p.language, p.explicit_content, p.podcast_guid, p.locked, p.locked_owner,
                    p.new_feed_url, encode_persons(p.persons), p.etag, p.last_modified,
                    p.last_fetched_at, p.last_success_at, p.last_error, now, now));
}

Result<Id> insert_episode(Connection& conn, const Episode& e, std::optional<Id> id, Id podcast_id,
                          Millis now) {
  return inserted_id(
      conn.prepare("INSERT INTO episodes (id, podcast_id, key, guid, title, description, "
                   "content_html, link, published_at, duration_ms, enclosure_url, "
                   "enclosure_type, enclosure_length, image_url, season, episode_number, "
                   "episode_type, explicit_content, transcripts, chapters_url, chapters_type, "
                   "soundbites, persons, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, "
                   "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id")
          .bind_all(id, podcast_id, e.key, e.guid, e.title, e.description, e.content_html, e.link,
                    e.published_at, e.duration_ms, e.enclosure_url, e.enclosure_type,
                    e.enclosure_length, e.image_url, e.season, e.episode_number, e.episode_type,
                    e.explicit_content, encode_transcripts(e.transcripts), e.chapters_url,
                    e.chapters_type, encode_soundbites(e.soundbites), encode_persons(e.persons),
                    now, now));
}

Status subscribe(Connection& conn, Id user_id, Id podcast_id, Millis now) {
  return conn
      .prepare(
          "INSERT INTO subscriptions (user_id, podcast_id, created_at) VALUES (?, ?, ?) "
          "ON CONFLICT (user_id, podcast_id) DO NOTHING")
      .bind_all(user_id, podcast_id, now)
      .run();
}

Status insert_snip(Connection& conn, const Snip& s, std::optional<Id> id, Id user_id, Id episode_id,
                   const std::optional<std::string>& share_id) {
  return conn
      .prepare(
          "INSERT INTO snips (id, user_id, episode_id, start_ms, end_ms, tap_ms, title, "
          "summary, takeaways, quote, quote_speaker, speakers, engine, note, share_id, "
          "created_at, updated_at, fallback_reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, "
          "json(?), ?, ?, json(?), ?, ?, ?, ?, ?, ?)")
      .bind_all(id, user_id, episode_id, s.start_ms, s.end_ms, s.tap_ms, s.title, s.summary,
                encode_strings(s.takeaways), s.quote, s.quote_speaker, encode_strings(s.speakers),
                s.engine, s.note, share_id, s.created_at, s.updated_at, s.fallback_reason)
      .run();
}

}  // namespace

Status SqliteArchiveRepo::restore(Id user_id, const LibraryArchive& archive) {
  return db_.write([&](Connection& conn) -> Status {
    HARK_TRY(require_row(conn, "users", user_id, "user"));
    auto count =
        conn.prepare("SELECT (SELECT count(*) FROM podcasts) + (SELECT count(*) FROM snips)");
    auto has = count.step();
    if (!has) return has.error();
    if (*has && count.int64(0) > 0)
      return conflict(
          "this library is not empty; a backup is restored into an empty data "
          "directory (choose one with --data) so that nothing in either is lost");
    const Millis now = now_ms();
    for (const auto& p : archive.podcasts) HARK_TRY(insert_podcast(conn, p, p.id, now));
    for (const auto& e : archive.episodes)
      HARK_TRY(insert_episode(conn, e, e.id, e.podcast_id, now));
    for (const Id podcast_id : archive.subscribed)
      HARK_TRY(subscribe(conn, user_id, podcast_id, now));
    for (const auto& p : archive.positions) {
      HARK_TRY(
          conn.prepare("INSERT INTO positions (user_id, episode_id, position_ms, duration_ms, "
                       "played, updated_at) VALUES (?, ?, ?, ?, ?, ?)")
              .bind_all(user_id, p.episode_id, p.position_ms, p.duration_ms, p.played, p.updated_at)
              .run());
    }
    for (const auto& s : archive.snips) {
      if (s.start_ms < 0 || s.end_ms < s.start_ms)
        return invalid_input("snip " + std::to_string(s.id) + " in the backup has a bad range");
      HARK_TRY(insert_snip(conn, s, s.id, user_id, s.episode_id, s.share_id));
    }
    for (const auto& s : archive.summaries) {
      HARK_TRY(conn.prepare("INSERT OR REPLACE INTO episode_summaries (episode_id, abstract, "
                            "takeaways, engine, created_at) VALUES (?, ?, json(?), ?, ?)")
                   .bind_all(s.episode_id, s.abstract, encode_strings(s.takeaways), s.engine,
                             s.created_at)
                   .run());
    }
    return ok();
  });
}

namespace {

// `id` when no row of `table` has it, else nullopt (let SQLite choose).
Result<std::optional<Id>> free_id(Connection& conn, std::string_view table, Id id) {
  auto taken = row_exists(conn, table, id);
  if (!taken) return taken.error();
  return *taken ? std::optional<Id>() : std::optional<Id>(id);
}

// Maps the backup's row `backup_id` to the library's: `match` when the library has the row
// already, else the one `insert(id)` adds, `id` being `backup_id` when no row of `table` has
// it (else null). Whether it added a row.
template <typename Insert>
Result<bool> place(Connection& conn, std::string_view table, Id backup_id,
                   const Result<std::optional<Id>>& match, std::map<Id, Id>& ids, Insert&& insert) {
  if (!match) return match.error();
  if (*match) {
    ids[backup_id] = **match;
    return false;
  }
  auto id = free_id(conn, table, backup_id);
  if (!id) return id.error();
  auto added = insert(*id);
  if (!added) return added.error();
  ids[backup_id] = *added;
  return true;
}

}  // namespace

Result<MergeReport> SqliteArchiveRepo::merge(Id user_id, const LibraryArchive& archive) {
  MergeReport report;
  auto status = db_.write([&](Connection& conn) -> Status {
    report = {};
    HARK_TRY(require_row(conn, "users", user_id, "user"));
    const Millis now = now_ms();
    std::map<Id, Id> podcast_ids;  // backup → library
    for (const auto& p : archive.podcasts) {
      const auto match = first_int(
          conn.prepare("SELECT id FROM podcasts WHERE feed_url = ?").bind_all(p.feed_url));
      auto added = place(conn, "podcasts", p.id, match, podcast_ids,
                         [&](std::optional<Id> id) { return insert_podcast(conn, p, id, now); });
      if (!added) return added.error();
      ++(*added ? report.podcasts_added : report.podcasts_existing);
    }
    std::map<Id, Id> episode_ids;
    for (const auto& e : archive.episodes) {
      const auto podcast = podcast_ids.find(e.podcast_id);
      if (podcast == podcast_ids.end())
        return invalid_input("episode " + std::to_string(e.id) + " in the backup names podcast " +
                             std::to_string(e.podcast_id) + ", which the backup does not have");
      const auto match = first_int(conn.prepare("SELECT id FROM episodes WHERE podcast_id = ? AND "
                                                "(key = ? OR (guid IS NOT NULL AND guid <> '' AND "
                                                "guid = ?)) ORDER BY key = ? DESC LIMIT 1")
                                       .bind_all(podcast->second, e.key, e.guid, e.key));
      auto added = place(conn, "episodes", e.id, match, episode_ids, [&](std::optional<Id> id) {
        return insert_episode(conn, e, id, podcast->second, now);
      });
      if (!added) return added.error();
      ++(*added ? report.episodes_added : report.episodes_existing);
    }
    const auto episode_of = [&](Id backup_id, const std::string& what) -> Result<Id> {
      const auto it = episode_ids.find(backup_id);
      if (it == episode_ids.end())
        return invalid_input(what + " in the backup names episode " + std::to_string(backup_id) +
                             ", which the backup does not have");
      return it->second;
    };
    for (const Id podcast_id : archive.subscribed) {
      const auto it = podcast_ids.find(podcast_id);
      if (it == podcast_ids.end())
        return invalid_input("the backup subscribes to podcast " + std::to_string(podcast_id) +
                             ", which it does not have");
      HARK_TRY(subscribe(conn, user_id, it->second, now));
      report.subscriptions_added += static_cast<int>(conn.changes());
    }
    for (const auto& p : archive.positions) {
      auto episode = episode_of(p.episode_id, "a position");
      if (!episode) return episode.error();
      auto stored = first_int(
          conn.prepare("SELECT updated_at FROM positions WHERE user_id = ? AND episode_id = ?")
              .bind_all(user_id, *episode));
      if (!stored) return stored.error();
      if (*stored && **stored >= p.updated_at) {
        ++report.positions_kept;
        continue;
      }
      HARK_TRY(
          conn.prepare("INSERT OR REPLACE INTO positions (user_id, episode_id, position_ms, "
                       "duration_ms, played, updated_at) VALUES (?, ?, ?, ?, ?, ?)")
              .bind_all(user_id, *episode, p.position_ms, p.duration_ms, p.played, p.updated_at)
              .run());
      ++(*stored ? report.positions_updated : report.positions_added);
    }
    for (const auto& s : archive.snips) {
      if (s.start_ms < 0 || s.end_ms < s.start_ms)
        return invalid_input("snip " + std::to_string(s.id) + " in the backup has a bad range");
      auto episode = episode_of(s.episode_id, "snip " + std::to_string(s.id));
      if (!episode) return episode.error();
      auto same = first_int(
          conn.prepare("SELECT id FROM snips WHERE user_id = ? AND episode_id = ? AND "
                       "((id = ? AND created_at = ?) OR (start_ms = ? AND end_ms = ? AND "
                       "created_at = ?)) LIMIT 1")
              .bind_all(user_id, *episode, s.id, s.created_at, s.start_ms, s.end_ms, s.created_at));
      if (!same) return same.error();
      if (*same) {
        ++report.snips_existing;
        continue;
      }
      auto id = free_id(conn, "snips", s.id);
      if (!id) return id.error();
      std::optional<std::string> share_id = s.share_id;
      if (share_id) {
        auto used =
            first_int(conn.prepare("SELECT id FROM snips WHERE share_id = ?").bind_all(*share_id));
        if (!used) return used.error();
        if (*used) {
          share_id.reset();
          ++report.share_links_dropped;
        }
      }
      HARK_TRY(insert_snip(conn, s, *id, user_id, *episode, share_id));
      ++report.snips_added;
    }
    for (const auto& s : archive.summaries) {
      const auto it = episode_ids.find(s.episode_id);
      if (it == episode_ids.end()) continue;  // a summary of an episode not in the backup
      HARK_TRY(
          conn.prepare("INSERT OR IGNORE INTO episode_summaries (episode_id, abstract, "
                       "takeaways, engine, created_at) VALUES (?, ?, json(?), ?, ?)")
              .bind_all(it->second, s.abstract, encode_strings(s.takeaways), s.engine, s.created_at)
              .run());
    }
    return ok();
  });
  if (!status) return status.error();
  return report;
}

}  // namespace hark::store::sqlite
