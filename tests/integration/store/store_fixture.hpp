// Shared helpers for the store's integration tests: a unique temporary directory per test
// (removed afterwards), a store opened in it, and fully populated sample values.
#pragma once

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <system_error>

#include "store/sqlite/sqlite_store.hpp"
#include "store/store.hpp"

namespace hark::store::testing {

// mkdtemp under the system temp dir: tests never share fixed paths.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "hark-store-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

Episode full_episode(const std::string& key);

// A store in a fresh temporary directory.
class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override { store_ = open_store(); }

  std::unique_ptr<Store> open_store() {
    auto opened = sqlite::open(db_path());
    if (!opened) {
      ADD_FAILURE() << "open failed: " << opened.error().message;
      return nullptr;
    }
    return std::move(*opened);
  }

  // An episode (with every field set) in a new podcast; its id.
  Id add_episode(const std::string& key = "ep-1") {
    const auto podcast = add_podcast("https://example.com/" + key + "/feed.xml");
    auto counts = store_->episodes().upsert(podcast.id, {full_episode(key)});
    EXPECT_TRUE(counts && counts->added_ids.size() == 1) << (counts ? "" : counts.error().message);
    return counts && !counts->added_ids.empty() ? counts->added_ids.front() : 0;
  }

  // The id of the user a fresh store starts with.
  Id default_user_id() {
    auto user = store_->users().default_user();
    EXPECT_TRUE(user) << (user ? "" : user.error().message);
    return user ? user->id : 0;
  }

  [[nodiscard]] std::filesystem::path db_path() const { return dir_.path() / "hark.db"; }

  Podcast add_podcast(const std::string& feed_url, const std::string& title = "A podcast") {
    Podcast p;
    p.feed_url = feed_url;
    p.title = title;
    auto inserted = store_->podcasts().insert(p);
    EXPECT_TRUE(inserted) << (inserted ? "" : inserted.error().message);
    return inserted ? *inserted : p;
  }

  TempDir dir_;
  std::unique_ptr<Store> store_;
};

// An episode with every field set to a non-default value.
inline Episode full_episode(const std::string& key) {
  Episode e;
  e.key = key;
  e.guid = "guid-" + key;
  e.title = "Episode " + key + " — “quotes” & ünïcödé";
  e.description = "Plain description of " + key;
  e.content_html = "<p>Rich <b>content</b> of " + key + "</p>";
  e.link = "https://example.com/episodes/" + key;
  e.published_at = 1'700'000'000'000;
  e.duration_ms = 3'723'000;
  e.enclosure_url = "https://cdn.example.com/" + key + ".mp3";
  e.enclosure_type = "audio/mpeg";
  e.enclosure_length = 58'123'456;
  e.image_url = "https://example.com/" + key + ".jpg";
  e.season = 2;
  e.episode_number = 14;
  e.episode_type = "bonus";
  e.explicit_content = true;
  e.transcripts = {{"https://example.com/" + key + ".vtt", "text/vtt", "en", "captions"},
                   {"https://example.com/" + key + ".json", "application/json", "de", ""}};
  e.chapters_url = "https://example.com/" + key + ".chapters.json";
  e.chapters_type = "application/json+chapters";
  e.soundbites = {{65'000, 30'500, "The best bit"}, {0, 1'000, ""}};
  e.persons = {{"Ada Host", "host", "cast", "https://example.com/ada.jpg", "https://ada.example"},
               {"Guest Star", "guest", "cast", "", ""}};
  return e;
}

inline void expect_same_episode(const Episode& a, const Episode& b) {
  EXPECT_EQ(a.key, b.key);
  EXPECT_EQ(a.guid, b.guid);
  EXPECT_EQ(a.title, b.title);
  EXPECT_EQ(a.description, b.description);
  EXPECT_EQ(a.content_html, b.content_html);
  EXPECT_EQ(a.link, b.link);
  EXPECT_EQ(a.published_at, b.published_at);
  EXPECT_EQ(a.duration_ms, b.duration_ms);
  EXPECT_EQ(a.enclosure_url, b.enclosure_url);
  EXPECT_EQ(a.enclosure_type, b.enclosure_type);
  EXPECT_EQ(a.enclosure_length, b.enclosure_length);
  EXPECT_EQ(a.image_url, b.image_url);
  EXPECT_EQ(a.season, b.season);
  EXPECT_EQ(a.episode_number, b.episode_number);
  EXPECT_EQ(a.episode_type, b.episode_type);
  EXPECT_EQ(a.explicit_content, b.explicit_content);
  EXPECT_EQ(a.transcripts, b.transcripts);
  EXPECT_EQ(a.chapters_url, b.chapters_url);
  EXPECT_EQ(a.chapters_type, b.chapters_type);
  EXPECT_EQ(a.soundbites, b.soundbites);
  EXPECT_EQ(a.persons, b.persons);
  EXPECT_EQ(a.download_path, b.download_path);
  EXPECT_EQ(a.download_size, b.download_size);
}

// A raw SQLite connection for inspecting what the store wrote.
class RawDb {
 public:
  explicit RawDb(const std::filesystem::path& path, int flags = SQLITE_OPEN_READWRITE) {
    if (sqlite3_open_v2(path.c_str(), &db_, flags, nullptr) != SQLITE_OK) {
      ADD_FAILURE() << "cannot open " << path << ": " << sqlite3_errmsg(db_);
    }
  }
  ~RawDb() { sqlite3_close_v2(db_); }
  RawDb(const RawDb&) = delete;
  RawDb& operator=(const RawDb&) = delete;

  void exec(const std::string& sql) {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
      ADD_FAILURE() << sql << ": " << (err ? err : "?");
    }
    sqlite3_free(err);
  }

  // The first column of the first row as text ("" when there is no row).
  std::string scalar(const std::string& sql) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
      ADD_FAILURE() << sql << ": " << sqlite3_errmsg(db_);
      return {};
    }
    std::string value;
    if (sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_text(stmt, 0) != nullptr) {
      value = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
    }
    sqlite3_finalize(stmt);
    return value;
  }

 private:
  sqlite3* db_ = nullptr;
};

}  // namespace hark::store::testing
