#include "store/sqlite/migrations.hpp"

#include <array>
#include <string>

#include "core/time.hpp"

namespace hark::store::sqlite {
namespace {

// PRAGMA application_id marks the file as hark's ('hark' in ASCII), so `file(1)` and hark
// itself can tell a library from some other SQLite database.
constexpr std::int64_t kApplicationId = 0x6861726B;

// Timestamps are Unix milliseconds (Millis). JSON columns hold arrays of the core value
// types (see codec.hpp) and are checked with json_valid so a bad write fails loudly.
constexpr std::string_view kV1 = R"sql(
CREATE TABLE schema_migrations (
  version     INTEGER PRIMARY KEY,
  purpose     TEXT    NOT NULL,
  applied_at  INTEGER NOT NULL
);

CREATE TABLE users (
  id             INTEGER PRIMARY KEY,
  name           TEXT    NOT NULL UNIQUE COLLATE NOCASE,
  password_hash  TEXT    NOT NULL DEFAULT '',
  is_admin       INTEGER NOT NULL DEFAULT 0 CHECK (is_admin IN (0, 1)),
  created_at     INTEGER NOT NULL
);

CREATE TABLE podcasts (
  id                INTEGER PRIMARY KEY,
  feed_url          TEXT    NOT NULL UNIQUE CHECK (feed_url <> ''),
  title             TEXT    NOT NULL DEFAULT '',
  author            TEXT    NOT NULL DEFAULT '',
  description       TEXT    NOT NULL DEFAULT '',
  link              TEXT    NOT NULL DEFAULT '',
  image_url         TEXT    NOT NULL DEFAULT '',
  language          TEXT    NOT NULL DEFAULT '',
  explicit_content  INTEGER NOT NULL DEFAULT 0,
  podcast_guid      TEXT    NOT NULL DEFAULT '',
  locked            INTEGER NOT NULL DEFAULT 0,
  locked_owner      TEXT    NOT NULL DEFAULT '',
  new_feed_url      TEXT    NOT NULL DEFAULT '',
  persons           TEXT    NOT NULL DEFAULT '[]' CHECK (json_valid(persons)),
  etag              TEXT    NOT NULL DEFAULT '',
  last_modified     TEXT    NOT NULL DEFAULT '',
  last_fetched_at   INTEGER,
  last_success_at   INTEGER,
  last_error        TEXT    NOT NULL DEFAULT '',
  created_at        INTEGER NOT NULL,
  updated_at        INTEGER NOT NULL
);

CREATE TABLE subscriptions (
  user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  podcast_id  INTEGER NOT NULL REFERENCES podcasts (id) ON DELETE CASCADE,
  created_at  INTEGER NOT NULL,
  PRIMARY KEY (user_id, podcast_id)
) WITHOUT ROWID;
-- The primary key serves lookups by user; cascades from podcasts need this one.
CREATE INDEX subscriptions_by_podcast ON subscriptions (podcast_id);

CREATE TABLE episodes (
  id                INTEGER PRIMARY KEY,
  podcast_id        INTEGER NOT NULL REFERENCES podcasts (id) ON DELETE CASCADE,
  key               TEXT    NOT NULL CHECK (key <> ''),
  guid              TEXT    NOT NULL DEFAULT '',
  title             TEXT    NOT NULL DEFAULT '',
  description       TEXT    NOT NULL DEFAULT '',
  content_html      TEXT    NOT NULL DEFAULT '',
  link              TEXT    NOT NULL DEFAULT '',
  published_at      INTEGER,
  duration_ms       INTEGER,
  enclosure_url     TEXT    NOT NULL DEFAULT '',
  enclosure_type    TEXT    NOT NULL DEFAULT '',
  enclosure_length  INTEGER NOT NULL DEFAULT 0,
  image_url         TEXT    NOT NULL DEFAULT '',
  season            INTEGER,
  episode_number    INTEGER,
  episode_type      TEXT    NOT NULL DEFAULT '',
  explicit_content  INTEGER NOT NULL DEFAULT 0,
  transcripts       TEXT    NOT NULL DEFAULT '[]' CHECK (json_valid(transcripts)),
  chapters_url      TEXT    NOT NULL DEFAULT '',
  chapters_type     TEXT    NOT NULL DEFAULT '',
  soundbites        TEXT    NOT NULL DEFAULT '[]' CHECK (json_valid(soundbites)),
  persons           TEXT    NOT NULL DEFAULT '[]' CHECK (json_valid(persons)),
  download_path     TEXT    NOT NULL DEFAULT '',
  download_size     INTEGER NOT NULL DEFAULT 0,
  created_at        INTEGER NOT NULL,
  updated_at        INTEGER NOT NULL,
  UNIQUE (podcast_id, key)
);
-- A podcast's episodes newest first, and the newest episodes across the library.
CREATE INDEX episodes_by_podcast_published ON episodes (podcast_id, published_at DESC, id DESC);
CREATE INDEX episodes_by_published ON episodes (published_at DESC, id DESC);

CREATE TABLE jobs (
  id                INTEGER PRIMARY KEY,
  kind              TEXT    NOT NULL CHECK (kind <> ''),
  payload           TEXT    NOT NULL DEFAULT '{}' CHECK (json_valid(payload)),
  dedupe_key        TEXT    NOT NULL DEFAULT '',
  state             TEXT    NOT NULL DEFAULT 'queued'
                            CHECK (state IN ('queued', 'running', 'done', 'failed')),
  attempts          INTEGER NOT NULL DEFAULT 0,
  max_attempts      INTEGER NOT NULL DEFAULT 5 CHECK (max_attempts >= 1),
  run_after         INTEGER NOT NULL DEFAULT 0,
  lease_owner       TEXT    NOT NULL DEFAULT '',
  lease_until       INTEGER NOT NULL DEFAULT 0,
  last_error        TEXT    NOT NULL DEFAULT '',
  progress          REAL    NOT NULL DEFAULT 0,
  progress_message  TEXT    NOT NULL DEFAULT '',
  created_at        INTEGER NOT NULL,
  updated_at        INTEGER NOT NULL,
  finished_at       INTEGER
);
-- At most one live job per dedupe key; finished jobs keep theirs as history.
CREATE UNIQUE INDEX jobs_live_dedupe ON jobs (dedupe_key)
  WHERE state IN ('queued', 'running') AND dedupe_key <> '';
-- Leasing walks live jobs in (run_after, id) order; finished jobs stay out of the index
-- so it does not grow with history.
CREATE INDEX jobs_live_by_run_after ON jobs (run_after, id)
  WHERE state IN ('queued', 'running');
)sql";

// Transcripts and chapters. A transcript is a header row plus one row per segment; a
// segment's word timings live in its row as a compact JSON array of
// [start_ms, end_ms, "text", confidence|null] tuples, not in a table of their own:
// - words are only ever read and written with their segment (the player and the snip
//   engine load whole transcripts; search indexes segment text), so no query needs them
//   as rows;
// - a 3-hour episode has ~30k words but only ~2-3k segments: replacing a transcript is
//   a few thousand inserts instead of 30k+, and reading it back a few thousand rows;
// - tuples cost ~30 bytes per word, about what a words table would spend on its row
//   header, rowid and index entry alone.
// segments keep a rowid (no WITHOUT ROWID): rows are large (words), and a future FTS5
// index can use the rowid as its external-content key. Segments hang off the transcript
// row, so removing a transcript or its episode removes them too.
constexpr std::string_view kV2 = R"sql(
CREATE TABLE transcripts (
  episode_id  INTEGER PRIMARY KEY REFERENCES episodes (id) ON DELETE CASCADE,
  source      TEXT    NOT NULL DEFAULT '',
  language    TEXT    NOT NULL DEFAULT '',
  timed       INTEGER NOT NULL DEFAULT 1 CHECK (timed IN (0, 1)),
  engine      TEXT    NOT NULL DEFAULT '',
  model       TEXT    NOT NULL DEFAULT '',
  speakers    TEXT    NOT NULL DEFAULT '[]' CHECK (json_valid(speakers)),
  created_at  INTEGER NOT NULL
);

CREATE TABLE segments (
  id          INTEGER PRIMARY KEY,
  episode_id  INTEGER NOT NULL REFERENCES transcripts (episode_id) ON DELETE CASCADE,
  seq         INTEGER NOT NULL,
  start_ms    INTEGER NOT NULL,
  end_ms      INTEGER NOT NULL,
  speaker     TEXT    NOT NULL DEFAULT '',
  text        TEXT    NOT NULL DEFAULT '',
  words       TEXT    NOT NULL DEFAULT '[]' CHECK (json_valid(words)),
  UNIQUE (episode_id, seq)
);

CREATE TABLE chapters (
  episode_id  INTEGER NOT NULL REFERENCES episodes (id) ON DELETE CASCADE,
  seq         INTEGER NOT NULL,
  start_ms    INTEGER NOT NULL,
  end_ms      INTEGER,
  title       TEXT    NOT NULL DEFAULT '',
  url         TEXT    NOT NULL DEFAULT '',
  image_url   TEXT    NOT NULL DEFAULT '',
  toc         INTEGER NOT NULL DEFAULT 1 CHECK (toc IN (0, 1)),
  source      TEXT    NOT NULL DEFAULT '',
  PRIMARY KEY (episode_id, seq)
) WITHOUT ROWID;
)sql";

// Accounts and listening state. Session and API tokens are stored only as hashes (the
// tokens are 256-bit random values, so a plain SHA-256 is enough: nothing to brute-force);
// the CSRF token is not a credential on its own (it only accompanies a session cookie), so
// it is kept as is and handed back to the logged-in page. login_attempts is an
// append-only log the rate limiter counts over a sliding window and prunes. A position is
// one row per (user, episode): where playback stopped, and whether the episode was played.
constexpr std::string_view kV3 = R"sql(
CREATE TABLE sessions (
  id            INTEGER PRIMARY KEY,
  user_id       INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  token_hash    TEXT    NOT NULL UNIQUE CHECK (token_hash <> ''),
  csrf_token    TEXT    NOT NULL CHECK (csrf_token <> ''),
  created_at    INTEGER NOT NULL,
  expires_at    INTEGER NOT NULL,
  last_seen_at  INTEGER NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_id);
CREATE INDEX sessions_by_expiry ON sessions (expires_at);

CREATE TABLE api_tokens (
  id            INTEGER PRIMARY KEY,
  user_id       INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name          TEXT    NOT NULL DEFAULT '',
  token_hash    TEXT    NOT NULL UNIQUE CHECK (token_hash <> ''),
  created_at    INTEGER NOT NULL,
  last_used_at  INTEGER
);
CREATE INDEX api_tokens_by_user ON api_tokens (user_id);

CREATE TABLE positions (
  user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  episode_id   INTEGER NOT NULL REFERENCES episodes (id) ON DELETE CASCADE,
  position_ms  INTEGER NOT NULL CHECK (position_ms >= 0),
  duration_ms  INTEGER CHECK (duration_ms IS NULL OR duration_ms >= 0),
  played       INTEGER NOT NULL DEFAULT 0 CHECK (played IN (0, 1)),
  updated_at   INTEGER NOT NULL,
  PRIMARY KEY (user_id, episode_id)
) WITHOUT ROWID;
-- Cascades from episodes need this one; the primary key serves lookups by user.
CREATE INDEX positions_by_episode ON positions (episode_id);

CREATE TABLE login_attempts (
  id         INTEGER PRIMARY KEY,
  name       TEXT    NOT NULL COLLATE NOCASE,
  ip         TEXT    NOT NULL,
  at         INTEGER NOT NULL,
  succeeded  INTEGER NOT NULL CHECK (succeeded IN (0, 1))
);
CREATE INDEX login_attempts_by_name ON login_attempts (name, at);
CREATE INDEX login_attempts_by_ip ON login_attempts (ip, at);
)sql";

// Insights: snips (a user's saved moments), highlights and summaries per episode.
constexpr std::string_view kV4 = R"sql(
CREATE TABLE snips (
  id             INTEGER PRIMARY KEY,
  user_id        INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  episode_id     INTEGER NOT NULL REFERENCES episodes (id) ON DELETE CASCADE,
  start_ms       INTEGER NOT NULL CHECK (start_ms >= 0),
  end_ms         INTEGER NOT NULL CHECK (end_ms >= start_ms),
  tap_ms         INTEGER,
  title          TEXT    NOT NULL DEFAULT '',
  summary        TEXT    NOT NULL DEFAULT '',
  takeaways      TEXT    NOT NULL DEFAULT '[]' CHECK (json_valid(takeaways)),
  quote          TEXT    NOT NULL DEFAULT '',
  quote_speaker  TEXT    NOT NULL DEFAULT '',
  speakers       TEXT    NOT NULL DEFAULT '[]' CHECK (json_valid(speakers)),
  engine         TEXT    NOT NULL DEFAULT '',
  note           TEXT    NOT NULL DEFAULT '',
  share_id       TEXT    UNIQUE,
  created_at     INTEGER NOT NULL,
  updated_at     INTEGER NOT NULL
);
CREATE INDEX snips_by_user ON snips (user_id, created_at DESC);
CREATE INDEX snips_by_episode ON snips (episode_id);

CREATE TABLE highlights (
  episode_id  INTEGER NOT NULL REFERENCES episodes (id) ON DELETE CASCADE,
  seq         INTEGER NOT NULL,
  start_ms    INTEGER NOT NULL,
  end_ms      INTEGER NOT NULL,
  title       TEXT    NOT NULL DEFAULT '',
  summary     TEXT    NOT NULL DEFAULT '',
  score       REAL    NOT NULL DEFAULT 0,
  engine      TEXT    NOT NULL DEFAULT '',
  PRIMARY KEY (episode_id, seq)
) WITHOUT ROWID;

CREATE TABLE episode_summaries (
  episode_id  INTEGER PRIMARY KEY REFERENCES episodes (id) ON DELETE CASCADE,
  abstract    TEXT    NOT NULL DEFAULT '',
  takeaways   TEXT    NOT NULL DEFAULT '[]' CHECK (json_valid(takeaways)),
  engine      TEXT    NOT NULL DEFAULT '',
  created_at  INTEGER NOT NULL
);
)sql";

// Snips written by a language model: why the model's text was not used (its error, or the
// field it could not write), so a listener and the web player can see it.
constexpr std::string_view kV5 = R"sql(
ALTER TABLE snips ADD COLUMN fallback_reason TEXT NOT NULL DEFAULT '';
)sql";

// Search: transcript passages, episode documents and snips in FTS5 indexes (external
// content, kept in step by triggers, so a row deleted by a cascade leaves the index too),
// and passage embeddings. The tokenizer is named here once; another language's stemmer
// would be a new migration that rebuilds these tables.
constexpr std::string_view kV6 = R"sql(
CREATE TABLE search_passages (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  episode_id  INTEGER NOT NULL REFERENCES episodes (id) ON DELETE CASCADE,
  seq         INTEGER NOT NULL,
  start_ms    INTEGER NOT NULL,
  end_ms      INTEGER NOT NULL,
  speaker     TEXT    NOT NULL DEFAULT '',
  text        TEXT    NOT NULL,
  UNIQUE (episode_id, seq)
);
CREATE VIRTUAL TABLE search_passages_fts USING fts5(
  text, content = 'search_passages', content_rowid = 'id',
  tokenize = 'porter unicode61 remove_diacritics 2');
CREATE TRIGGER search_passages_ai AFTER INSERT ON search_passages BEGIN
  INSERT INTO search_passages_fts (rowid, text) VALUES (new.id, new.text);
END;
CREATE TRIGGER search_passages_ad AFTER DELETE ON search_passages BEGIN
  INSERT INTO search_passages_fts (search_passages_fts, rowid, text)
    VALUES ('delete', old.id, old.text);
END;
CREATE TRIGGER search_passages_au AFTER UPDATE OF text ON search_passages BEGIN
  INSERT INTO search_passages_fts (search_passages_fts, rowid, text)
    VALUES ('delete', old.id, old.text);
  INSERT INTO search_passages_fts (rowid, text) VALUES (new.id, new.text);
END;

CREATE TABLE search_vectors (
  passage_id  INTEGER PRIMARY KEY REFERENCES search_passages (id) ON DELETE CASCADE,
  model       TEXT    NOT NULL,
  dims        INTEGER NOT NULL CHECK (dims > 0),
  vector      BLOB    NOT NULL CHECK (length(vector) = 4 * dims)
);

CREATE TABLE search_episode_docs (
  episode_id  INTEGER PRIMARY KEY REFERENCES episodes (id) ON DELETE CASCADE,
  title       TEXT    NOT NULL DEFAULT '',
  notes       TEXT    NOT NULL DEFAULT ''
);
CREATE VIRTUAL TABLE search_episodes_fts USING fts5(
  title, notes, content = 'search_episode_docs', content_rowid = 'episode_id',
  tokenize = 'porter unicode61 remove_diacritics 2');
CREATE TRIGGER search_episode_docs_ai AFTER INSERT ON search_episode_docs BEGIN
  INSERT INTO search_episodes_fts (rowid, title, notes)
    VALUES (new.episode_id, new.title, new.notes);
END;
CREATE TRIGGER search_episode_docs_ad AFTER DELETE ON search_episode_docs BEGIN
  INSERT INTO search_episodes_fts (search_episodes_fts, rowid, title, notes)
    VALUES ('delete', old.episode_id, old.title, old.notes);
END;
CREATE TRIGGER search_episode_docs_au AFTER UPDATE ON search_episode_docs BEGIN
  INSERT INTO search_episodes_fts (search_episodes_fts, rowid, title, notes)
    VALUES ('delete', old.episode_id, old.title, old.notes);
  INSERT INTO search_episodes_fts (rowid, title, notes)
    VALUES (new.episode_id, new.title, new.notes);
END;

CREATE VIRTUAL TABLE search_snips_fts USING fts5(
  title, summary, note, content = 'snips', content_rowid = 'id',
  tokenize = 'porter unicode61 remove_diacritics 2');
CREATE TRIGGER search_snips_ai AFTER INSERT ON snips BEGIN
  INSERT INTO search_snips_fts (rowid, title, summary, note)
    VALUES (new.id, new.title, new.summary, new.note);
END;
CREATE TRIGGER search_snips_ad AFTER DELETE ON snips BEGIN
  INSERT INTO search_snips_fts (search_snips_fts, rowid, title, summary, note)
    VALUES ('delete', old.id, old.title, old.summary, old.note);
END;
CREATE TRIGGER search_snips_au AFTER UPDATE OF title, summary, note ON snips BEGIN
  INSERT INTO search_snips_fts (search_snips_fts, rowid, title, summary, note)
    VALUES ('delete', old.id, old.title, old.summary, old.note);
  INSERT INTO search_snips_fts (rowid, title, summary, note)
    VALUES (new.id, new.title, new.summary, new.note);
END;
INSERT INTO search_snips_fts (search_snips_fts) VALUES ('rebuild');
)sql";

// Exports: what was sent to which service, so re-running an export sends only changes.
constexpr std::string_view kV7 = R"sql(
CREATE TABLE export_state (
  snip_id       INTEGER NOT NULL REFERENCES snips (id) ON DELETE CASCADE,
  target        TEXT    NOT NULL CHECK (target <> ''),
  remote_id     TEXT    NOT NULL DEFAULT '',
  content_hash  TEXT    NOT NULL DEFAULT '',
  exported_at   INTEGER NOT NULL,
  PRIMARY KEY (target, snip_id)
) WITHOUT ROWID;
CREATE INDEX export_state_by_snip ON export_state (snip_id);
)sql";

// The snips RSS feed: one token per user in the feed's URL.
constexpr std::string_view kV8 = R"sql(
CREATE TABLE feed_tokens (
  user_id     INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  token       TEXT    NOT NULL UNIQUE CHECK (length(token) >= 16),
  created_at  INTEGER NOT NULL
);
)sql";

// Each podcast's episode count, kept by triggers so that listing podcasts reads a column
// instead of counting every podcast's episodes per request (3.4 ms for 100,000 episodes).
// Triggers rather than code in the repository: cascades from deleting a podcast and any
// other writer (the CLI next to a server) keep it right too. And all episodes newest first
// with their podcast in one index, so a subscriber's newest episodes are found by walking
// it (and checking the subscription) instead of sorting every subscribed episode; it
// replaces episodes_by_published, its prefix.
constexpr std::string_view kV9 = R"sql(
ALTER TABLE podcasts ADD COLUMN episode_count INTEGER NOT NULL DEFAULT 0;
UPDATE podcasts SET episode_count = (SELECT count(*) FROM episodes e WHERE e.podcast_id = podcasts.id);
CREATE TRIGGER episodes_count_ai AFTER INSERT ON episodes BEGIN
  UPDATE podcasts SET episode_count = episode_count + 1 WHERE id = NEW.podcast_id;
END;
CREATE TRIGGER episodes_count_ad AFTER DELETE ON episodes BEGIN
  UPDATE podcasts SET episode_count = episode_count - 1 WHERE id = OLD.podcast_id;
END;
CREATE TRIGGER episodes_count_au AFTER UPDATE OF podcast_id ON episodes
WHEN OLD.podcast_id IS NOT NEW.podcast_id BEGIN
  UPDATE podcasts SET episode_count = episode_count - 1 WHERE id = OLD.podcast_id;
  UPDATE podcasts SET episode_count = episode_count + 1 WHERE id = NEW.podcast_id;
END;
DROP INDEX episodes_by_published;
CREATE INDEX episodes_by_published_podcast ON episodes (published_at DESC, id DESC, podcast_id);
)sql";

// The vectors of one embedding model by passage: opening the vector index lists the ids of
// the current model's vectors (and the rebuild reads them in id order), which without this
// read every row of search_vectors — 1.8 GB of vectors at 1.2 M passages — to test `model`.
constexpr std::string_view kV10 = R"sql(
CREATE INDEX search_vectors_by_model ON search_vectors (model, passage_id);
)sql";

// Sending snips to Readwise and Notion from the web player: each user's token (and Notion
// database and page mode) per service, and how the latest run went.
constexpr std::string_view kV11 = R"sql(
CREATE TABLE export_settings (
  user_id       INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  service       TEXT    NOT NULL CHECK (service IN ('readwise', 'notion')),
  token         TEXT    NOT NULL DEFAULT '',
  database_id   TEXT    NOT NULL DEFAULT '',
  page_per      TEXT    NOT NULL DEFAULT 'snip' CHECK (page_per IN ('snip', 'episode')),
  job_id        INTEGER NOT NULL DEFAULT 0,
  last_run_at   INTEGER NOT NULL DEFAULT 0,
  sent          INTEGER NOT NULL DEFAULT 0,
  updated       INTEGER NOT NULL DEFAULT 0,
  unchanged     INTEGER NOT NULL DEFAULT 0,
  failed        INTEGER NOT NULL DEFAULT 0,
  last_error    TEXT    NOT NULL DEFAULT '',
  updated_at    INTEGER NOT NULL,
  PRIMARY KEY (user_id, service)
) WITHOUT ROWID;
)sql";

// Ranking a query's matches needs each passage's episode (for the library and podcast
// filters), speaker and length (BM25 weighs a match in a long passage less): read from
// search_passages itself, or FTS5's own length table, that is a page of transcript text and
// a lookup per match, and a common word matches thousands. This narrow index answers all
// three. `words` (a generated column: computed, never stored in the table, so adding it
// rewrites nothing) counts the spaces, which tracks the tokens FTS5 counts.
constexpr std::string_view kV12 = R"sql(
ALTER TABLE search_passages ADD COLUMN words INTEGER
  GENERATED ALWAYS AS (length(text) - length(replace(text, ' ', '')) + 1) VIRTUAL;
CREATE INDEX search_passages_scope ON search_passages (id, episode_id, speaker, words);
)sql";

constexpr std::array kMigrations = {
    Migration{1, "users, podcasts, subscriptions, episodes and the job queue", kV1},
    Migration{2, "transcripts (segments with word timings, speakers) and chapters", kV2},
    Migration{3, "accounts (sessions, API tokens, login attempts) and listening positions", kV3},
    Migration{4, "insights (snips, highlights, episode summaries)", kV4},
    Migration{5, "snips: the language model's fallback reason", kV5},
    Migration{6, "search (passages, episode documents and snips in FTS5; passage vectors)", kV6},
    Migration{7, "export state (what was sent to Readwise, Notion, ...)", kV7},
    Migration{8, "snips RSS feed tokens", kV8},
    Migration{9, "podcasts: episode counts kept by triggers; episodes newest first with podcast",
              kV9},
    Migration{10, "search: passage vectors by embedding model", kV10},
    Migration{11, "export settings (Readwise and Notion tokens per user, the latest run)", kV11},
    Migration{12, "search: passages' episode, speaker and length in a narrow index for ranking",
              kV12},
};

constexpr bool versions_are_contiguous() {
  for (std::size_t i = 0; i < kMigrations.size(); ++i) {
    if (kMigrations[i].version != static_cast<int>(i) + 1) return false;
  }
  return true;
}
static_assert(versions_are_contiguous(), "migrations are numbered 1, 2, 3, ... in order");

Result<std::int64_t> read_int_pragma(Connection& conn, std::string_view name) {
  auto value = conn.pragma(name);
  if (!value) return value.error();
  return std::stoll(*value);
}

Result<bool> has_schema_objects(Connection& conn) {
  auto stmt = conn.prepare("SELECT count(*) FROM sqlite_schema");
  auto has_row = stmt.step();
  if (!has_row) return has_row.error();
  return *has_row && stmt.int64(0) > 0;
}

Error newer_version_error(const std::filesystem::path& path, std::int64_t version) {
  return conflict(path.string() + " was written by a newer hark (schema version " +
                  std::to_string(version) + "; this build knows up to " +
                  std::to_string(latest_schema_version()) +
                  "). Upgrade hark to open it; the file was left untouched.");
}

Error foreign_file_error(const std::filesystem::path& path) {
  return invalid_input(path.string() +
                       " is a SQLite database of another application, not a hark library; "
                       "it was left untouched. Choose another data directory.");
}

Status apply(Connection& writer, const Migration& migration) {
  auto status = writer.exec(migration.sql);
  if (!status) {
    return status.error().with_context("schema migration " + std::to_string(migration.version) +
                                       " (" + std::string(migration.purpose) + ")");
  }
  return writer
      .prepare("INSERT INTO schema_migrations (version, purpose, applied_at) VALUES (?, ?, ?)")
      .bind_all(migration.version, migration.purpose, now_ms())
      .run();
}

Status check_foreign_keys(Connection& writer) {
  auto stmt = writer.prepare("PRAGMA foreign_key_check");
  auto has_row = stmt.step();
  if (!has_row) return has_row.error();
  if (!*has_row) return ok();
  return internal_error("schema migration left a dangling foreign key in table " + stmt.text(0));
}

}  // namespace

std::span<const Migration> migrations() {
  return kMigrations;
}

int latest_schema_version() {
  return kMigrations.back().version;
}

Result<int> check_compatible(Connection& conn, const std::filesystem::path& path) {
  const std::string context = "reading " + path.string();
  auto app_id = read_int_pragma(conn, "application_id");
  if (!app_id) return app_id.error().with_context(context);
  auto version = read_int_pragma(conn, "user_version");
  if (!version) return version.error().with_context(context);
  if (*app_id != 0 && *app_id != kApplicationId) return foreign_file_error(path);
  if (*app_id == kApplicationId && *version > latest_schema_version()) {
    return newer_version_error(path, *version);
  }
  if (*app_id == 0) {
    // Only an empty file may be adopted; anything else with content is not ours.
    auto has_objects = has_schema_objects(conn);
    if (!has_objects) return has_objects.error().with_context(context);
    if (*has_objects || *version != 0) return foreign_file_error(path);
  }
  return static_cast<int>(*version);
}

Result<int> migrate(Connection& writer, const std::filesystem::path& path) {
  auto before = check_compatible(writer, path);
  if (!before) return before.error();
  if (*before == latest_schema_version()) return *before;

  HARK_TRY(writer.exec("PRAGMA foreign_keys = OFF"));  // a no-op inside a transaction
  auto tx = WriteTransaction::begin(writer);
  if (!tx) return tx.error();
  // Another process may have migrated between the check and the write lock.
  auto current = check_compatible(writer, path);
  if (!current) return current.error();
  for (const auto& migration : kMigrations) {
    if (migration.version > *current) HARK_TRY(apply(writer, migration));
  }
  HARK_TRY(writer.exec("PRAGMA application_id = " + std::to_string(kApplicationId)));
  HARK_TRY(writer.exec("PRAGMA user_version = " + std::to_string(latest_schema_version())));
  HARK_TRY(check_foreign_keys(writer));
  HARK_TRY(tx->commit());
  return latest_schema_version();
}

}  // namespace hark::store::sqlite
