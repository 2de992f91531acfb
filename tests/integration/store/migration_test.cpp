// Opening, migrating and refusing databases.
#include <fstream>
#include <iterator>

#include "store_fixture.hpp"

namespace hark::store::testing {
namespace {

constexpr int kHarkApplicationId = 0x6861726B;  // 'hark', as written by migration 1

std::string read_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

using MigrationTest = StoreTest;

TEST_F(MigrationTest, EmptyFileIsMigratedToTheLatestSchema) {
  ASSERT_TRUE(store_);
  EXPECT_EQ(store_->schema_version(), sqlite::latest_schema_version());
  store_.reset();

  RawDb raw(db_path());
  EXPECT_EQ(raw.scalar("PRAGMA user_version"), std::to_string(sqlite::latest_schema_version()));
  EXPECT_EQ(raw.scalar("PRAGMA application_id"), std::to_string(kHarkApplicationId));
  EXPECT_EQ(raw.scalar("SELECT count(*) FROM schema_migrations"),
            std::to_string(sqlite::latest_schema_version()));
  EXPECT_NE(raw.scalar("SELECT purpose FROM schema_migrations WHERE version = 1"), "");
  for (const char* table : {"users", "podcasts", "subscriptions", "episodes", "jobs", "transcripts",
                            "segments", "chapters"}) {
    EXPECT_EQ(raw.scalar(std::string("SELECT count(*) FROM sqlite_schema WHERE type = 'table' "
                                     "AND name = '") +
                         table + "'"),
              "1")
        << table;
  }
}

TEST_F(MigrationTest, ParentDirectoriesAreCreated) {
  auto opened = sqlite::open(dir_.path() / "nested" / "deeper" / "hark.db");
  ASSERT_TRUE(opened) << opened.error().message;
  EXPECT_TRUE(std::filesystem::exists(dir_.path() / "nested" / "deeper" / "hark.db"));
}

TEST_F(MigrationTest, ReopeningIsANoOpAndKeepsData) {
  const auto podcast = add_podcast("https://example.com/feed.xml");
  store_.reset();
  std::string applied_at;
  {
    RawDb raw(db_path());
    applied_at =
        raw.scalar("SELECT group_concat(version || ':' || applied_at) FROM schema_migrations");
  }

  store_ = open_store();
  ASSERT_TRUE(store_);
  EXPECT_EQ(store_->schema_version(), sqlite::latest_schema_version());
  auto found = store_->podcasts().find(podcast.id);
  ASSERT_TRUE(found) << found.error().message;
  EXPECT_EQ(found->feed_url, "https://example.com/feed.xml");
  store_.reset();

  RawDb raw(db_path());
  EXPECT_EQ(raw.scalar("SELECT group_concat(version || ':' || applied_at) FROM schema_migrations"),
            applied_at);
}

TEST_F(MigrationTest, WalModeIsOn) {
  ASSERT_TRUE(store_);
  add_podcast("https://example.com/feed.xml");
  // Journal mode is stored in the file; a second connection sees it.
  RawDb raw(db_path());
  EXPECT_EQ(raw.scalar("PRAGMA journal_mode"), "wal");
  EXPECT_TRUE(std::filesystem::exists(db_path().string() + "-wal"));
}

TEST_F(MigrationTest, IntegrityCheckSaysOk) {
  ASSERT_TRUE(store_);
  add_podcast("https://example.com/feed.xml");
  auto report = store_->integrity_check();
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(*report, "ok");
}

// The refusal must happen before anything is written: the newer hark's file stays as it was.
void expect_future_database_refused(const std::filesystem::path& path, bool wal) {
  {
    RawDb raw(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    if (wal) raw.exec("PRAGMA journal_mode = WAL");
    raw.exec("CREATE TABLE shiny_new_things (id INTEGER PRIMARY KEY, what TEXT)");
    raw.exec("INSERT INTO shiny_new_things (what) VALUES ('from the future')");
    raw.exec("PRAGMA application_id = " + std::to_string(kHarkApplicationId));
    raw.exec("PRAGMA user_version = " + std::to_string(sqlite::latest_schema_version() + 7));
  }
  const std::string bytes_before = read_bytes(path);
  const auto mtime_before = std::filesystem::last_write_time(path);
  ASSERT_FALSE(bytes_before.empty());

  auto opened = sqlite::open(path);
  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error().code, ErrorCode::Conflict);
  EXPECT_NE(opened.error().message.find("newer hark"), std::string::npos) << opened.error().message;
  EXPECT_NE(opened.error().message.find(path.string()), std::string::npos);

  EXPECT_EQ(read_bytes(path), bytes_before);
  EXPECT_EQ(std::filesystem::last_write_time(path), mtime_before);
  RawDb raw(path);
  EXPECT_EQ(raw.scalar("PRAGMA journal_mode"), wal ? "wal" : "delete");
  EXPECT_EQ(raw.scalar("SELECT count(*) FROM sqlite_schema WHERE name = 'podcasts'"), "0");
}

TEST_F(MigrationTest, DatabaseFromANewerHarkIsRefusedUntouched) {
  store_.reset();
  expect_future_database_refused(dir_.path() / "future.db", /*wal=*/false);
}

TEST_F(MigrationTest, WalDatabaseFromANewerHarkIsRefusedUntouched) {
  store_.reset();
  expect_future_database_refused(dir_.path() / "future-wal.db", /*wal=*/true);
}

TEST_F(MigrationTest, SqliteFileOfAnotherApplicationIsRefusedUntouched) {
  const auto path = dir_.path() / "other.db";
  {
    RawDb raw(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    raw.exec("CREATE TABLE podcasts (whatever TEXT)");
  }
  const std::string bytes_before = read_bytes(path);

  auto opened = sqlite::open(path);
  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error().code, ErrorCode::InvalidInput);
  EXPECT_NE(opened.error().message.find("not a hark library"), std::string::npos);
  EXPECT_EQ(read_bytes(path), bytes_before);
}

TEST_F(MigrationTest, FileThatIsNotADatabaseIsRefused) {
  const auto path = dir_.path() / "notes.txt";
  std::ofstream(path) << "These are not the tables you are looking for.\n"
                      << std::string(4096, 'x');
  const std::string bytes_before = read_bytes(path);

  auto opened = sqlite::open(path);
  ASSERT_FALSE(opened);
  EXPECT_NE(opened.error().message.find(path.string()), std::string::npos)
      << opened.error().message;
  EXPECT_EQ(read_bytes(path), bytes_before);
}

TEST_F(MigrationTest, InMemoryDatabaseIsRefused) {
  auto opened = sqlite::open(":memory:");
  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error().code, ErrorCode::InvalidInput);
}

TEST_F(MigrationTest, StoresOnTheSameFileShareData) {
  auto second = open_store();
  ASSERT_TRUE(second);
  const auto podcast = add_podcast("https://example.com/shared.xml");
  auto seen = second->podcasts().find(podcast.id);
  ASSERT_TRUE(seen) << seen.error().message;
  EXPECT_EQ(seen->feed_url, "https://example.com/shared.xml");
}

}  // namespace
}  // namespace hark::store::testing
