// What listings read cheaply: each podcast's episode count kept by the store, keyset
// (cursor) pages of episodes, and a page's per-user state read at once.
#include <algorithm>
#include <set>

#include "store/sqlite/migrations.hpp"
#include "store_fixture.hpp"

namespace hark::store::testing {
namespace {

class PagingTest : public StoreTest {
 protected:
  // Episodes keyed prefix0..prefixN-1 whose dates come from `dates` in turn (nullopt:
  // undated), so that many share one date.
  std::vector<Id> add_episodes(Id podcast_id, const std::string& prefix, int n,
                               const std::vector<std::optional<Millis>>& dates) {
    std::vector<Episode> episodes;
    for (int i = 0; i < n; ++i) {
      auto e = full_episode(prefix + std::to_string(i));
      e.published_at = dates[static_cast<std::size_t>(i) % dates.size()];
      episodes.push_back(e);
    }
    auto counts = store_->episodes().upsert(podcast_id, episodes);
    EXPECT_TRUE(counts) << (counts ? "" : counts.error().message);
    return counts ? counts->added_ids : std::vector<Id>{};
  }

  int count_of(Id podcast_id) {
    auto p = store_->podcasts().find(podcast_id);
    EXPECT_TRUE(p) << (p ? "" : p.error().message);
    return p ? p->episode_count : -1;
  }

  static std::vector<Id> ids_of(const std::vector<Episode>& episodes) {
    std::vector<Id> ids;
    for (const auto& e : episodes) ids.push_back(e.id);
    return ids;
  }

  // Every page of `size` by cursor, starting with the offset-0 page; fails on a repeat.
  template <typename First, typename After>
  std::vector<Id> walk(int size, First first, After after) {
    std::vector<Id> seen;
    auto page = first(size);
    EXPECT_TRUE(page) << (page ? "" : page.error().message);
    for (int guard = 0; page && !page->empty() && guard < 1000; ++guard) {
      for (const auto& e : *page) seen.push_back(e.id);
      page = after(size, cursor_of(page->back()));
      EXPECT_TRUE(page) << (page ? "" : page.error().message);
    }
    EXPECT_EQ(std::set<Id>(seen.begin(), seen.end()).size(), seen.size()) << "an episode twice";
    return seen;
  }

  // The newest-first order of the episodes of `podcasts`, from list().
  std::vector<Id> reference(const std::set<Id>& podcasts) {
    auto all = store_->episodes().list();
    EXPECT_TRUE(all);
    std::vector<Id> ids;
    for (const auto& e : *all)
      if (podcasts.count(e.podcast_id) != 0) ids.push_back(e.id);
    return ids;
  }

  Id user(const std::string& name) {
    auto u = store_->users().create(name, false);
    EXPECT_TRUE(u) << (u ? "" : u.error().message);
    return u ? u->id : 0;
  }
};

const std::vector<std::optional<Millis>> kManySame = {5'000, 5'000, std::nullopt, 7'000,
                                                      5'000, 3'000, std::nullopt, 7'000};

TEST_F(PagingTest, EpisodeCountsFollowAddsDeletesAndNothingElse) {
  const auto a = add_podcast("https://example.com/a.xml");
  const auto b = add_podcast("https://example.com/b.xml");
  EXPECT_EQ(count_of(a.id), 0);
  const auto a_ids = add_episodes(a.id, "a", 5, kManySame);
  add_episodes(b.id, "b", 2, kManySame);
  EXPECT_EQ(count_of(a.id), 5);
  EXPECT_EQ(count_of(b.id), 2);

  // The same feed again (unchanged) and with one episode changed: no new episodes.
  add_episodes(a.id, "a", 5, kManySame);
  auto changed = full_episode("a1");
  changed.title = "A new title";
  ASSERT_TRUE(store_->episodes().upsert(a.id, {changed}));
  EXPECT_EQ(count_of(a.id), 5);

  // Listening, marking played and unsubscribing are per user: the podcast's count stays.
  const Id alice = user("alice");
  ASSERT_TRUE(store_->subscriptions().subscribe(alice, a.id));
  Position played;
  played.user_id = alice;
  played.episode_id = a_ids[0];
  played.position_ms = 1'000;
  played.played = true;
  ASSERT_TRUE(store_->positions().save(played));
  EXPECT_EQ(count_of(a.id), 5);
  auto listed = store_->podcasts().list(alice);
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].episode_count, 5);
  ASSERT_TRUE(store_->subscriptions().unsubscribe(alice, a.id));
  EXPECT_EQ(count_of(a.id), 5);
  EXPECT_TRUE(store_->podcasts().list(alice)->empty());

  // An episode deleted by any writer (here: another connection) is no longer counted.
  {
    RawDb raw(db_path());
    raw.exec("DELETE FROM episodes WHERE id = " + std::to_string(a_ids[2]));
    raw.exec("PRAGMA foreign_keys = ON; DELETE FROM episodes WHERE id = " +
             std::to_string(a_ids[3]));
  }
  EXPECT_EQ(count_of(a.id), 3);
  EXPECT_EQ(count_of(b.id), 2);

  // Removing a podcast takes its episodes along and leaves the others' counts alone.
  ASSERT_TRUE(store_->podcasts().remove(a.id));
  EXPECT_EQ(count_of(b.id), 2);
  auto all = store_->podcasts().list();
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 1u);
  EXPECT_EQ((*all)[0].episode_count, 2);
}

TEST_F(PagingTest, CountsOfALibraryFromBeforeTheCountColumnAreFilledIn) {
  store_.reset();
  for (const auto* suffix : {"", "-wal", "-shm"})
    std::filesystem::remove(db_path().string() + suffix);
  {
    RawDb raw(db_path(), SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    const int before = 8;  // the last schema without the count column
    for (const auto& m : sqlite::migrations())
      if (m.version <= before) raw.exec(std::string(m.sql));
    raw.exec("PRAGMA application_id = 1751216747; PRAGMA user_version = " + std::to_string(before));
    raw.exec(
        "INSERT INTO podcasts (id, feed_url, created_at, updated_at) VALUES "
        "(1, 'https://example.com/1.xml', 0, 0), (2, 'https://example.com/2.xml', 0, 0);"
        "INSERT INTO episodes (podcast_id, key, created_at, updated_at) VALUES "
        "(1, 'x', 0, 0), (1, 'y', 0, 0), (1, 'z', 0, 0), (2, 'x', 0, 0);");
  }
  store_ = open_store();
  ASSERT_TRUE(store_);
  EXPECT_EQ(count_of(1), 3);
  EXPECT_EQ(count_of(2), 1);
  add_episodes(2, "new", 2, kManySame);
  EXPECT_EQ(count_of(2), 3);
}

TEST_F(PagingTest, CursorPagesOfAPodcastHoldEachEpisodeOnceInListOrder) {
  const auto p = add_podcast("https://example.com/p.xml");
  add_episodes(p.id, "e", 23, kManySame);
  const auto want = ids_of(*store_->episodes().list(p.id));
  ASSERT_EQ(want.size(), 23u);
  for (const int size : {1, 2, 3, 5, 8, 23, 50}) {
    const auto got = walk(
        size, [&](int n) { return store_->episodes().page(p.id, n, 0); },
        [&](int n, const EpisodeCursor& c) { return store_->episodes().page_after(p.id, n, c); });
    EXPECT_EQ(got, want) << "page size " << size;
  }
  // Episodes added after a page was read neither repeat nor push older ones onto it.
  auto first = store_->episodes().page(p.id, 4, 0);
  ASSERT_TRUE(first);
  add_episodes(p.id, "later", 3, {9'000});
  auto second = store_->episodes().page_after(p.id, 4, cursor_of(first->back()));
  ASSERT_TRUE(second);
  EXPECT_EQ(ids_of(*second), std::vector<Id>(want.begin() + 4, want.begin() + 8));
  // Past the end, and a cursor of an undated episode that no longer exists.
  auto end =
      store_->episodes().page_after(p.id, 10, cursor_of(*store_->episodes().find(want.back())));
  ASSERT_TRUE(end);
  EXPECT_TRUE(end->empty());
  auto gone = store_->episodes().page_after(p.id, 100, EpisodeCursor{std::nullopt, 1'000'000});
  ASSERT_TRUE(gone);
  EXPECT_EQ(gone->size(), 6u);  // every undated episode (ids below the cursor's)
}

TEST_F(PagingTest, SubscriberPagesMatchTheListWhetherWalkedOrSorted) {
  // Alice subscribes to the whole library (pages walk the all-episodes index), Bob to a
  // small part of it (pages sort his podcasts' episodes): same answers either way.
  const auto big = add_podcast("https://example.com/big.xml");
  const auto mid = add_podcast("https://example.com/mid.xml");
  const auto small = add_podcast("https://example.com/small.xml");
  add_episodes(big.id, "b", 40, kManySame);
  add_episodes(mid.id, "m", 17, kManySame);
  add_episodes(small.id, "s", 3, kManySame);
  const Id alice = user("alice");
  const Id bob = user("bob");
  for (const Id p : {big.id, mid.id, small.id})
    ASSERT_TRUE(store_->subscriptions().subscribe(alice, p));
  ASSERT_TRUE(store_->subscriptions().subscribe(bob, small.id));

  const std::vector<std::pair<Id, std::set<Id>>> cases = {{alice, {big.id, mid.id, small.id}},
                                                          {bob, {small.id}}};
  for (const auto& [who, podcasts] : cases) {
    const auto want = reference(podcasts);
    auto& repo = store_->episodes();
    for (const int size : {1, 4, 7, 100}) {
      const auto got = walk(
          size, [&](int n) { return repo.page_for_user(who, n, 0); },
          [&](int n, const EpisodeCursor& c) { return repo.page_for_user_after(who, n, c); });
      EXPECT_EQ(got, want) << "user " << who << ", page size " << size;
      // Offset pages agree with the list too, at every depth.
      for (int offset = 0; offset < static_cast<int>(want.size()) + 2; offset += size) {
        auto page = repo.page_for_user(who, size, offset);
        ASSERT_TRUE(page);
        const auto from = std::min(want.size(), static_cast<std::size_t>(offset));
        const auto to = std::min(want.size(), from + static_cast<std::size_t>(size));
        EXPECT_EQ(ids_of(*page), std::vector<Id>(want.begin() + from, want.begin() + to))
            << "user " << who << ", offset " << offset << ", size " << size;
      }
    }
    auto everything = repo.page_for_user(who, -1, 0);
    ASSERT_TRUE(everything);
    EXPECT_EQ(ids_of(*everything), want);
  }
  const Id carol = user("carol");  // subscribes to nothing
  EXPECT_TRUE(store_->episodes().page_for_user(carol, 10, 0)->empty());
  EXPECT_TRUE(store_->episodes().page_for_user_after(carol, 10, EpisodeCursor{5'000, 3})->empty());
}

TEST_F(PagingTest, UserStatesOfAPageAreReadInOrder) {
  const auto p = add_podcast("https://example.com/p.xml");
  const auto ids = add_episodes(p.id, "e", 3, {1'000});
  const Id alice = user("alice");
  const Id bob = user("bob");
  Position pos;
  pos.user_id = alice;
  pos.episode_id = ids[1];
  pos.position_ms = 42'000;
  pos.duration_ms = 90'000;
  ASSERT_TRUE(store_->positions().save(pos));
  Transcript t;
  t.source = "publisher:vtt";
  t.segments.push_back({0, 1'000, "", "Hello.", {}});
  ASSERT_TRUE(store_->transcripts().replace(ids[2], t));
  Chapter one;
  one.title = "One";
  Chapter two;
  two.start_ms = 5'000;
  two.title = "Two";
  ASSERT_TRUE(store_->chapters().replace(ids[2], {one, two}));

  auto states = store_->episodes().user_states(alice, {ids[2], 999'999, ids[1], ids[0]});
  ASSERT_TRUE(states) << states.error().message;
  ASSERT_EQ(states->size(), 4u);
  EXPECT_EQ((*states)[0].episode_id, ids[2]);
  EXPECT_TRUE((*states)[0].transcript_ready);
  EXPECT_EQ((*states)[0].chapter_count, 2);
  EXPECT_FALSE((*states)[0].position);
  EXPECT_EQ((*states)[1].episode_id, 999'999);  // unknown: an empty state
  EXPECT_FALSE((*states)[1].transcript_ready);
  EXPECT_EQ((*states)[1].chapter_count, 0);
  ASSERT_TRUE((*states)[2].position);
  EXPECT_EQ((*states)[2].position->position_ms, 42'000);
  EXPECT_EQ((*states)[2].position->duration_ms, 90'000);
  EXPECT_FALSE((*states)[2].position->played);
  EXPECT_FALSE((*states)[3].position);
  // Positions are per user.
  auto bobs = store_->episodes().user_states(bob, {ids[1]});
  ASSERT_TRUE(bobs);
  ASSERT_EQ(bobs->size(), 1u);
  EXPECT_FALSE(bobs->front().position);
  EXPECT_TRUE(store_->episodes().user_states(alice, {})->empty());
}

}  // namespace
}  // namespace hark::store::testing
