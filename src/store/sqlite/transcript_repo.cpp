#include "core/time.hpp"
#include "store/sqlite/codec.hpp"
#include "store/sqlite/repos.hpp"

namespace hark::store::sqlite {
namespace {

// The JSON columns of a transcript, encoded before the write lock is taken: encoding 30k
// words takes longer than inserting them, and other writers should not wait for it.
struct EncodedTranscript {
  std::string speakers;
  std::vector<std::string> words;  // one array per segment
};

EncodedTranscript encode(const Transcript& t) {
  EncodedTranscript e;
  e.speakers = encode_speakers(t.speakers);
  e.words.reserve(t.segments.size());
  for (const auto& segment : t.segments) e.words.push_back(encode_words(segment.words));
  return e;
}

Status insert_header(Connection& conn, Id episode_id, const Transcript& t,
                     const TranscriptOrigin& origin, const std::string& speakers) {
  return conn
      .prepare(
          "INSERT INTO transcripts (episode_id, source, language, timed, engine, model, "
          "speakers, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
      .bind_all(episode_id, t.source, t.language, t.timed, origin.engine, origin.model, speakers,
                now_ms())
      .run();
}

Status insert_segments(Connection& conn, Id episode_id, const Transcript& t,
                       const std::vector<std::string>& words) {
  for (std::size_t i = 0; i < t.segments.size(); ++i) {
    const auto& s = t.segments[i];
    HARK_TRY(conn.prepare("INSERT INTO segments (episode_id, seq, start_ms, end_ms, speaker, "
                          "text, words) VALUES (?, ?, ?, ?, ?, ?, ?)")
                 .bind_all(episode_id, i, s.start_ms, s.end_ms, s.speaker, s.text, words[i])
                 .run());
  }
  return ok();
}

Result<Segment> read_segment(Row& row) {
  Segment s;
  s.start_ms = row.int64();
  s.end_ms = row.int64();
  s.speaker = row.text();
  s.text = row.text();
  auto words = decode_words(row.text());
  if (!words) return words.error();
  s.words = std::move(*words);
  return s;
}

// The header row as a Transcript without segments, or nullopt.
Result<std::optional<Transcript>> read_header(Connection& conn, Id episode_id) {
  auto stmt = conn.prepare(
      "SELECT source, language, timed, speakers FROM transcripts WHERE episode_id = ?");
  stmt.bind(1, episode_id);
  return collect_one(stmt, [](Row& row) -> Result<Transcript> {
    Transcript t;
    t.source = row.text();
    t.language = row.text();
    t.timed = row.boolean();
    auto speakers = decode_speakers(row.text());
    if (!speakers) return speakers.error();
    t.speakers = std::move(*speakers);
    return t;
  });
}

Result<TranscriptInfo> read_info(Row& row) {
  TranscriptInfo info;
  info.source = row.text();
  info.language = row.text();
  info.timed = row.boolean();
  info.origin.engine = row.text();
  info.origin.model = row.text();
  info.created_at = row.int64();
  info.segment_count = row.int32();
  return info;
}

Error context_for(const Error& e, Id episode_id) {
  return e.with_context("transcript of episode " + std::to_string(episode_id));
}

}  // namespace

Status require_episode(Connection& conn, Id episode_id) {
  return require_row(conn, "episodes", episode_id, "episode");
}

Status SqliteTranscriptRepo::replace(Id episode_id, const Transcript& transcript,
                                     const TranscriptOrigin& origin) {
  const auto encoded = encode(transcript);
  return db_.write([&](Connection& conn) -> Status {
    HARK_TRY(require_episode(conn, episode_id));
    // The old segments go with their header (ON DELETE CASCADE).
    HARK_TRY(
        conn.prepare("DELETE FROM transcripts WHERE episode_id = ?").bind(1, episode_id).run());
    HARK_TRY(insert_header(conn, episode_id, transcript, origin, encoded.speakers));
    return insert_segments(conn, episode_id, transcript, encoded.words);
  });
}

Result<std::optional<Transcript>> SqliteTranscriptRepo::find(Id episode_id) {
  auto found = db_.read([&](Connection& conn) -> Result<std::optional<Transcript>> {
    auto snapshot = ReadSnapshot::begin(conn);
    if (!snapshot) return snapshot.error();
    auto header = read_header(conn, episode_id);
    if (!header || !*header) return header;
    auto stmt = conn.prepare(
        "SELECT start_ms, end_ms, speaker, text, words FROM segments WHERE episode_id = ? "
        "ORDER BY seq");
    stmt.bind(1, episode_id);
    auto segments = collect_all(stmt, read_segment);
    if (!segments) return segments.error();
    (*header)->segments = std::move(*segments);
    return header;
  });
  if (!found) return context_for(found.error(), episode_id);
  return found;
}

Result<std::optional<TranscriptInfo>> SqliteTranscriptRepo::info(Id episode_id) {
  return db_.read([&](Connection& conn) {
    auto stmt = conn.prepare(
        "SELECT source, language, timed, engine, model, created_at, "
        "(SELECT count(*) FROM segments s WHERE s.episode_id = t.episode_id) "
        "FROM transcripts t WHERE episode_id = ?");
    stmt.bind(1, episode_id);
    return collect_one(stmt, read_info);
  });
}

Result<bool> SqliteTranscriptRepo::exists(Id episode_id) {
  return db_.read([&](Connection& conn) {
    auto stmt = conn.prepare("SELECT 1 FROM transcripts WHERE episode_id = ?");
    stmt.bind(1, episode_id);
    return stmt.step();
  });
}

Status SqliteTranscriptRepo::remove(Id episode_id) {
  return db_.write([&](Connection& conn) {
    return conn.prepare("DELETE FROM transcripts WHERE episode_id = ?").bind(1, episode_id).run();
  });
}

}  // namespace hark::store::sqlite
