// A library with the search fixtures (tests/fixtures/search): two podcasts, one episode each,
// their transcripts stored and indexed, one user subscribed to both and one to neither.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "app/search.hpp"
#include "core/time.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "temp_dir.hpp"
#include "transcript/parse.hpp"

namespace hark::app::testing {

inline std::filesystem::path fixture(const std::string& name) {
  return std::filesystem::path(HARK_FIXTURES) / "search" / name;
}

class SearchFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = store::sqlite::open(dir_ / "hark.db");
    ASSERT_TRUE(opened) << opened.error().message;
    store_ = std::move(*opened);
    auto user = store_->users().create("ana", false);
    ASSERT_TRUE(user);
    user_ = user->id;
    auto other = store_->users().create("bo", false);
    ASSERT_TRUE(other);
    other_user_ = other->id;
    bread_podcast_ = add_podcast("Kitchen Table");
    money_podcast_ = add_podcast("Money Hour");
    bread_ = add_episode(bread_podcast_, "Patience and bread", "2024-03-01",
                         "<p>We talk <b>bread</b> &amp; the joy of a <i>crackling crust</i>.</p>",
                         "bread.vtt");
    money_ = add_episode(money_podcast_, "Let it compound", "2025-06-01",
                         "Why fees matter more than you think.", "money.vtt");
    search_ = std::make_unique<SearchService>(*store_);
    ASSERT_TRUE(search_->index_episode(bread_));
    ASSERT_TRUE(search_->index_episode(money_));
  }

  Id add_podcast(const std::string& title) {
    Podcast p;
    p.feed_url = "https://example.com/" + title + ".xml";
    p.title = title;
    auto inserted = store_->podcasts().insert(p);
    EXPECT_TRUE(inserted);
    EXPECT_TRUE(store_->subscriptions().subscribe(user_, inserted->id));
    return inserted->id;
  }

  Id add_episode(Id podcast, const std::string& title, const std::string& date,
                 const std::string& notes, const std::string& vtt) {
    Episode e;
    e.key = title;
    e.title = title;
    e.description = notes;
    e.published_at = parse_date(date);
    auto counts = store_->episodes().upsert(podcast, {e});
    EXPECT_TRUE(counts && counts->added_ids.size() == 1);
    const Id id = counts->added_ids.front();
    auto parsed = transcript::parse_vtt(hark::testing::read_file(fixture(vtt)));
    EXPECT_TRUE(parsed) << (parsed ? "" : parsed.error().message);
    EXPECT_TRUE(store_->transcripts().replace(id, parsed->transcript));
    return id;
  }

  Result<SearchResponse> run(const std::string& query, SearchMode mode = SearchMode::Lexical,
                             SearchScope scope = {}) {
    SearchRequest request;
    request.query = query;
    request.mode = mode;
    if (!scope.user_id) scope.user_id = user_;
    request.scope = scope;
    return search_->search(request);
  }

  hark::testing::TempDir dir_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<SearchService> search_;
  Id user_ = 0, other_user_ = 0;
  Id bread_podcast_ = 0, money_podcast_ = 0;
  Id bread_ = 0, money_ = 0;
};

}  // namespace hark::app::testing
