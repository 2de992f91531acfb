// Restoring a backup (hark import json) into an empty library, ids and times as they were.
#include <nlohmann/json.hpp>

#include "core/time.hpp"
#include "store/sqlite/codec.hpp"
#include "store/sqlite/repos.hpp"

namespace hark::store::sqlite {
namespace {

std::string encode_strings(const std::vector<std::string>& items) {
  return nlohmann::json(items).dump();
}

}  // namespace

Status SqliteArchiveRepo::restore(Id user_id, const LibraryArchive& archive) {
  return db_.write([&](Connection& conn) -> Status {
    auto user = row_exists(conn, "users", user_id);
    if (!user) return user.error();
    if (!*user) return not_found("no user with id " + std::to_string(user_id));
    auto count =
        conn.prepare("SELECT (SELECT count(*) FROM podcasts) + (SELECT count(*) FROM snips)");
    auto has = count.step();
    if (!has) return has.error();
    if (*has && count.int64(0) > 0)
      return conflict(
          "this library is not empty; a backup is restored into an empty data "
          "directory (choose one with --data) so that nothing in either is lost");
    const Millis now = now_ms();
    for (const auto& p : archive.podcasts) {
      HARK_TRY(
          conn.prepare("INSERT INTO podcasts (id, feed_url, title, author, description, link, "
                       "image_url, language, explicit_content, podcast_guid, locked, locked_owner, "
                       "new_feed_url, persons, etag, last_modified, last_fetched_at, "
                       "last_success_at, last_error, created_at, updated_at) VALUES "
                       "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
              .bind_all(p.id, p.feed_url, p.title, p.author, p.description, p.link, p.image_url,
                        p.language, p.explicit_content, p.podcast_guid, p.locked, p.locked_owner,
                        p.new_feed_url, encode_persons(p.persons), p.etag, p.last_modified,
                        p.last_fetched_at, p.last_success_at, p.last_error, now, now)
              .run());
    }
    for (const auto& e : archive.episodes) {
      HARK_TRY(
          conn.prepare("INSERT INTO episodes (id, podcast_id, key, guid, title, description, "
                       "content_html, link, published_at, duration_ms, enclosure_url, "
                       "enclosure_type, enclosure_length, image_url, season, episode_number, "
                       "episode_type, explicit_content, transcripts, chapters_url, chapters_type, "
                       "soundbites, persons, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, "
                       "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
              .bind_all(e.id, e.podcast_id, e.key, e.guid, e.title, e.description, e.content_html,
                        e.link, e.published_at, e.duration_ms, e.enclosure_url, e.enclosure_type,
                        e.enclosure_length, e.image_url, e.season, e.episode_number, e.episode_type,
                        e.explicit_content, encode_transcripts(e.transcripts), e.chapters_url,
                        e.chapters_type, encode_soundbites(e.soundbites), encode_persons(e.persons),
                        now, now)
              .run());
    }
    for (const Id podcast_id : archive.subscribed) {
      HARK_TRY(conn.prepare("INSERT INTO subscriptions (user_id, podcast_id, created_at) VALUES "
                            "(?, ?, ?) ON CONFLICT (user_id, podcast_id) DO NOTHING")
                   .bind_all(user_id, podcast_id, now)
                   .run());
    }
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
      HARK_TRY(
          conn.prepare(
                  "INSERT INTO snips (id, user_id, episode_id, start_ms, end_ms, tap_ms, "
                  "title, summary, takeaways, quote, quote_speaker, speakers, engine, note, "
                  "share_id, created_at, updated_at, fallback_reason) VALUES (?, ?, ?, ?, ?, ?, ?, "
                  "?, json(?), ?, ?, json(?), ?, ?, ?, ?, ?, ?)")
              .bind_all(s.id, user_id, s.episode_id, s.start_ms, s.end_ms, s.tap_ms, s.title,
                        s.summary, encode_strings(s.takeaways), s.quote, s.quote_speaker,
                        encode_strings(s.speakers), s.engine, s.note, s.share_id, s.created_at,
                        s.updated_at, s.fallback_reason)
              .run());
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

}  // namespace hark::store::sqlite
