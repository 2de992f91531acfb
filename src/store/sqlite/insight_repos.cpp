// Snips, highlights and episode summaries (migrations 4 and 5).
#include <nlohmann/json.hpp>

#include "core/time.hpp"
#include "store/sqlite/repos.hpp"

namespace hark::store::sqlite {
namespace {

std::string encode_strings(const std::vector<std::string>& items) {
  return nlohmann::json(items).dump();
}

Result<std::vector<std::string>> decode_strings(const std::string& text) {
  auto json = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!json.is_array()) return internal_error("stored text list is not a JSON array: " + text);
  std::vector<std::string> items;
  for (const auto& item : json) {
    if (!item.is_string()) return internal_error("stored text list holds a non-string: " + text);
    items.push_back(item.get<std::string>());
  }
  return items;
}

#define HARK_SNIP_COLUMNS                                                                 \
  "id, user_id, episode_id, start_ms, end_ms, tap_ms, title, summary, takeaways, quote, " \
  "quote_speaker, speakers, engine, note, share_id, created_at, updated_at, fallback_reason"
constexpr std::string_view kSelectSnip = "SELECT " HARK_SNIP_COLUMNS " FROM snips ";
constexpr std::string_view kReturningSnip = " RETURNING " HARK_SNIP_COLUMNS;
#undef HARK_SNIP_COLUMNS

Result<Snip> read_snip(Row& row) {
  Snip s;
  s.id = row.int64();
  s.user_id = row.int64();
  s.episode_id = row.int64();
  s.start_ms = row.int64();
  s.end_ms = row.int64();
  s.tap_ms = row.opt_int64();
  s.title = row.text();
  s.summary = row.text();
  auto takeaways = decode_strings(row.text());
  if (!takeaways) return takeaways.error();
  s.takeaways = std::move(*takeaways);
  s.quote = row.text();
  s.quote_speaker = row.text();
  auto speakers = decode_strings(row.text());
  if (!speakers) return speakers.error();
  s.speakers = std::move(*speakers);
  s.engine = row.text();
  s.note = row.text();
  auto share = row.text();
  if (!share.empty()) s.share_id = std::move(share);
  s.created_at = row.int64();
  s.updated_at = row.int64();
  s.fallback_reason = row.text();
  return s;
}

Error no_snip(Id snip_id) {
  return not_found("you have no snip with id " + std::to_string(snip_id));
}

Result<StoredHighlight> read_highlight(Row& row) {
  StoredHighlight h;
  h.start_ms = row.int64();
  h.end_ms = row.int64();
  h.title = row.text();
  h.summary = row.text();
  h.score = row.real();
  h.engine = row.text();
  return h;
}

Result<StoredSummary> read_summary(Row& row) {
  StoredSummary s;
  s.episode_id = row.int64();
  s.abstract = row.text();
  auto takeaways = decode_strings(row.text());
  if (!takeaways) return takeaways.error();
  s.takeaways = std::move(*takeaways);
  s.engine = row.text();
  s.created_at = row.int64();
  return s;
}

}  // namespace

// ---- snips ------------------------------------------------------------------------------

Result<Snip> SqliteSnipRepo::insert(const Snip& snip) {
  if (snip.start_ms < 0 || snip.end_ms < snip.start_ms)
    return invalid_input("a snip must start at or after 0 and end after it starts");
  return db_.write([&](Connection& conn) -> Result<Snip> {
    HARK_TRY(require_row(conn, "users", snip.user_id, "user"));
    HARK_TRY(require_episode(conn, snip.episode_id));
    const Millis now = now_ms();
    auto stmt = conn.prepare(
        "INSERT INTO snips (user_id, episode_id, start_ms, end_ms, tap_ms, title, summary, "
        "takeaways, quote, quote_speaker, speakers, engine, note, share_id, created_at, "
        "updated_at, fallback_reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "RETURNING id");
    stmt.bind_all(snip.user_id, snip.episode_id, snip.start_ms, snip.end_ms, snip.tap_ms,
                  snip.title, snip.summary, encode_strings(snip.takeaways), snip.quote,
                  snip.quote_speaker, encode_strings(snip.speakers), snip.engine, snip.note,
                  snip.share_id, now, now, snip.fallback_reason);
    auto row = stmt.step();
    if (!row) return row.error();
    if (!*row) return internal_error("inserting a snip returned no id");
    Snip stored = snip;
    stored.id = stmt.int64(0);
    stored.created_at = now;
    stored.updated_at = now;
    return stored;
  });
}

Result<Snip> SqliteSnipRepo::find(Id user_id, Id snip_id) {
  auto found = db_.read([&](Connection& conn) {
    auto stmt = conn.prepare(std::string(kSelectSnip) + "WHERE id = ? AND user_id = ?");
    stmt.bind_all(snip_id, user_id);
    return collect_one(stmt, read_snip);
  });
  if (!found) return found.error();
  if (!*found) return no_snip(snip_id);
  return std::move(**found);
}

Result<std::vector<Snip>> SqliteSnipRepo::list(Id user_id, std::optional<Id> episode_id) {
  return db_.read([&](Connection& conn) {
    if (episode_id) {
      auto stmt = conn.prepare(std::string(kSelectSnip) +
                               "WHERE user_id = ? AND episode_id = ? "
                               "ORDER BY created_at DESC, id DESC");
      stmt.bind_all(user_id, *episode_id);
      return collect_all(stmt, read_snip);
    }
    auto stmt = conn.prepare(std::string(kSelectSnip) +
                             "WHERE user_id = ? ORDER BY created_at DESC, id DESC");
    stmt.bind(1, user_id);
    return collect_all(stmt, read_snip);
  });
}

Status SqliteSnipRepo::update_note(Id user_id, Id snip_id, const std::string& note) {
  return db_.write([&](Connection& conn) -> Status {
    auto stmt = conn.prepare(
        "UPDATE snips SET note = ?, updated_at = ? WHERE id = ? AND user_id = ? RETURNING id");
    stmt.bind_all(note, now_ms(), snip_id, user_id);
    auto row = stmt.step();
    if (!row) return row.error();
    if (!*row) return no_snip(snip_id);
    return ok();
  });
}

Result<Snip> SqliteSnipRepo::update_engine_text(const Snip& snip,
                                                const std::string& expected_title) {
  return db_.write([&](Connection& conn) -> Result<Snip> {
    // The title only while it is still the one the engine wrote (a listener may have
    // retitled the snip meanwhile). updated_at strictly increases, so a reader polling for
    // changes never misses one.
    auto stmt = conn.prepare(
        "UPDATE snips SET title = CASE WHEN title = ? THEN ? ELSE title END, summary = ?, "
        "takeaways = ?, quote = ?, quote_speaker = ?, engine = ?, fallback_reason = ?, "
        "updated_at = MAX(?, updated_at + 1) WHERE id = ? AND user_id = ?" +
        std::string(kReturningSnip));
    stmt.bind_all(expected_title, snip.title, snip.summary, encode_strings(snip.takeaways),
                  snip.quote, snip.quote_speaker, snip.engine, snip.fallback_reason, now_ms(),
                  snip.id, snip.user_id);
    auto found = collect_one(stmt, read_snip);
    if (!found) return found.error();
    if (!*found) return no_snip(snip.id);
    return std::move(**found);
  });
}

Status SqliteSnipRepo::remove(Id user_id, Id snip_id) {
  return db_.write([&](Connection& conn) -> Status {
    auto stmt = conn.prepare("DELETE FROM snips WHERE id = ? AND user_id = ? RETURNING id");
    stmt.bind_all(snip_id, user_id);
    auto row = stmt.step();
    if (!row) return row.error();
    if (!*row) return no_snip(snip_id);
    return ok();
  });
}

Result<bool> SqliteSnipRepo::exists(Id snip_id) {
  return db_.read([&](Connection& conn) { return row_exists(conn, "snips", snip_id); });
}

Result<Snip> SqliteSnipRepo::update_text(Id user_id, Id snip_id,
                                         const std::optional<std::string>& title,
                                         const std::optional<std::string>& note) {
  return db_.write([&](Connection& conn) -> Result<Snip> {
    auto stmt = conn.prepare(
        std::string("UPDATE snips SET title = coalesce(?, title), note = coalesce(?, note), "
                    "updated_at = ? WHERE id = ? AND user_id = ?") +
        std::string(kReturningSnip));
    stmt.bind_all(title, note, now_ms(), snip_id, user_id);
    auto found = collect_one(stmt, read_snip);
    if (!found) return found.error();
    if (!*found) return no_snip(snip_id);
    return std::move(**found);
  });
}

Result<Snip> SqliteSnipRepo::set_share_id(Id user_id, Id snip_id, const std::string& share_id) {
  if (share_id.empty()) return invalid_input("a share id cannot be empty");
  return db_.write([&](Connection& conn) -> Result<Snip> {
    auto stmt = conn.prepare(
        "UPDATE snips SET share_id = coalesce(share_id, ?) WHERE id = ? AND user_id = ?" +
        std::string(kReturningSnip));
    stmt.bind_all(share_id, snip_id, user_id);
    auto found = collect_one(stmt, read_snip);
    if (!found) return found.error();
    if (!*found) return no_snip(snip_id);
    return std::move(**found);
  });
}

Result<Snip> SqliteSnipRepo::clear_share_id(Id user_id, Id snip_id) {
  return db_.write([&](Connection& conn) -> Result<Snip> {
    auto stmt = conn.prepare("UPDATE snips SET share_id = NULL WHERE id = ? AND user_id = ?" +
                             std::string(kReturningSnip));
    stmt.bind_all(snip_id, user_id);
    auto found = collect_one(stmt, read_snip);
    if (!found) return found.error();
    if (!*found) return no_snip(snip_id);
    return std::move(**found);
  });
}

Result<std::optional<Snip>> SqliteSnipRepo::find_shared(const std::string& share_id) {
  if (share_id.empty()) return std::optional<Snip>();
  return db_.read([&](Connection& conn) {
    auto stmt = conn.prepare(std::string(kSelectSnip) + "WHERE share_id = ?");
    stmt.bind(1, share_id);
    return collect_one(stmt, read_snip);
  });
}

Result<std::vector<Snip>> SqliteSnipRepo::changed_since(Id user_id, Millis since) {
  return db_.read([&](Connection& conn) {
    auto stmt = conn.prepare(std::string(kSelectSnip) +
                             "WHERE user_id = ? AND updated_at >= ? ORDER BY updated_at, id");
    stmt.bind_all(user_id, since);
    return collect_all(stmt, read_snip);
  });
}

Result<std::vector<SnipMoment>> SqliteSnipRepo::moments(Id episode_id) {
  return db_.read([&](Connection& conn) {
    auto stmt = conn.prepare(
        "SELECT user_id, COALESCE(tap_ms, end_ms) AS at_ms FROM snips WHERE episode_id = ? "
        "ORDER BY user_id, at_ms");
    stmt.bind(1, episode_id);
    return collect_all(stmt, [](Row& row) -> Result<SnipMoment> {
      SnipMoment m;
      m.user_id = row.int64();
      m.at_ms = row.int64();
      return m;
    });
  });
}

// ---- highlights -------------------------------------------------------------------------

Status SqliteHighlightRepo::replace(Id episode_id, const std::vector<StoredHighlight>& highlights) {
  return db_.write([&](Connection& conn) -> Status {
    HARK_TRY(require_episode(conn, episode_id));
    HARK_TRY(conn.prepare("DELETE FROM highlights WHERE episode_id = ?").bind(1, episode_id).run());
    for (std::size_t i = 0; i < highlights.size(); ++i) {
      const auto& h = highlights[i];
      HARK_TRY(
          conn.prepare("INSERT INTO highlights (episode_id, seq, start_ms, end_ms, title, summary, "
                       "score, engine) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
              .bind_all(episode_id, i, h.start_ms, h.end_ms, h.title, h.summary, h.score, h.engine)
              .run());
    }
    return ok();
  });
}

Result<std::vector<StoredHighlight>> SqliteHighlightRepo::list(Id episode_id) {
  return db_.read([&](Connection& conn) {
    auto stmt = conn.prepare(
        "SELECT start_ms, end_ms, title, summary, score, engine FROM highlights "
        "WHERE episode_id = ? ORDER BY seq");
    stmt.bind(1, episode_id);
    return collect_all(stmt, read_highlight);
  });
}

// ---- episode summaries ------------------------------------------------------------------

Status SqliteSummaryRepo::put(const StoredSummary& summary) {
  return db_.write([&](Connection& conn) -> Status {
    HARK_TRY(require_episode(conn, summary.episode_id));
    return conn
        .prepare(
            "INSERT OR REPLACE INTO episode_summaries (episode_id, abstract, takeaways, engine, "
            "created_at) VALUES (?, ?, ?, ?, ?)")
        .bind_all(summary.episode_id, summary.abstract, encode_strings(summary.takeaways),
                  summary.engine, now_ms())
        .run();
  });
}

Result<std::optional<StoredSummary>> SqliteSummaryRepo::find(Id episode_id) {
  return db_.read([&](Connection& conn) {
    auto stmt = conn.prepare(
        "SELECT episode_id, abstract, takeaways, engine, created_at FROM episode_summaries "
        "WHERE episode_id = ?");
    stmt.bind(1, episode_id);
    return collect_one(stmt, read_summary);
  });
}

}  // namespace hark::store::sqlite
