#include "store/sqlite/repos.hpp"

namespace hark::store::sqlite {
namespace {

Status insert_chapter(Connection& conn, Id episode_id, std::size_t seq, const Chapter& c) {
  return conn
      .prepare(
          "INSERT INTO chapters (episode_id, seq, start_ms, end_ms, title, url, image_url, toc, "
          "source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
      .bind_all(episode_id, seq, c.start_ms, c.end_ms, c.title, c.url, c.image_url, c.toc, c.source)
      .run();
}

Result<Chapter> read_chapter(Row& row) {
  Chapter c;
  c.start_ms = row.int64();
  c.end_ms = row.opt_int64();
  c.title = row.text();
  c.url = row.text();
  c.image_url = row.text();
  c.toc = row.boolean();
  c.source = row.text();
  return c;
}

}  // namespace

Status SqliteChapterRepo::replace(Id episode_id, const std::vector<Chapter>& chapters) {
  return db_.write([&](Connection& conn) -> Status {
    HARK_TRY(require_episode(conn, episode_id));
    HARK_TRY(conn.prepare("DELETE FROM chapters WHERE episode_id = ?").bind(1, episode_id).run());
    for (std::size_t i = 0; i < chapters.size(); ++i) {
      HARK_TRY(insert_chapter(conn, episode_id, i, chapters[i]));
    }
    return ok();
  });
}

Result<std::vector<Chapter>> SqliteChapterRepo::list(Id episode_id) {
  return db_.read([&](Connection& conn) {
    auto stmt = conn.prepare(
        "SELECT start_ms, end_ms, title, url, image_url, toc, source FROM chapters "
        "WHERE episode_id = ? ORDER BY seq");
    stmt.bind(1, episode_id);
    return collect_all(stmt, read_chapter);
  });
}

}  // namespace hark::store::sqlite
