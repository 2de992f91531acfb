// export_library_json → a new, empty library → import_library_json: the same snips (notes,
// share ids, times), positions and subscriptions; into a library that has part of it, a
// merge without duplicates; a foreign or broken document is refused without storing anything.
#include "app/portability.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <tuple>

#include "export_fixture.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace hark::app {
namespace {

using testing::ExportLibrary;

TEST(Portability, RoundTripIsLossFree) {
  ExportLibrary lib;
  ASSERT_TRUE(lib.store->snips().update_note(lib.user, lib.snips[1].id, "My note ✓"));
  store::Position pos;
  pos.user_id = lib.user;
  pos.episode_id = lib.episodes[0].id;
  pos.position_ms = 123'000;
  pos.duration_ms = 1'800'000;
  ASSERT_TRUE(lib.store->positions().save(pos));
  ASSERT_TRUE(lib.store->snips().remove(lib.user, lib.snips[0].id));  // ids with a gap
  auto doc = export_library_json(*lib.store, lib.user);
  ASSERT_TRUE(doc) << doc.error().message;

  testing::TempDir other;
  auto fresh = store::sqlite::open(other / "hark.db");
  ASSERT_TRUE(fresh);
  const Id user = (*fresh)->users().default_user()->id;
  // Through text, as a file would carry it.
  auto imported = import_library_json(**fresh, user, nlohmann::json::parse(doc->dump()));
  ASSERT_TRUE(imported) << imported.error().message;
  EXPECT_EQ(imported->snips, 2);

  auto a = lib.store->snips().list(lib.user);
  auto b = (*fresh)->snips().list(user);
  ASSERT_TRUE(a && b);
  ASSERT_EQ(a->size(), b->size());
  for (std::size_t i = 0; i < a->size(); ++i) {
    const auto& x = (*a)[i];
    const auto& y = (*b)[i];
    EXPECT_EQ(x.id, y.id);
    EXPECT_EQ(x.episode_id, y.episode_id);
    EXPECT_EQ(x.start_ms, y.start_ms);
    EXPECT_EQ(x.end_ms, y.end_ms);
    EXPECT_EQ(x.title, y.title);
    EXPECT_EQ(x.takeaways, y.takeaways);
    EXPECT_EQ(x.quote_speaker, y.quote_speaker);
    EXPECT_EQ(x.note, y.note);
    EXPECT_EQ(x.share_id, y.share_id);
    EXPECT_EQ(x.created_at, y.created_at);
    EXPECT_EQ(x.updated_at, y.updated_at);
    EXPECT_EQ(x.fallback_reason, y.fallback_reason);
  }
  auto p = (*fresh)->positions().find(user, lib.episodes[0].id);
  ASSERT_TRUE(p && *p);
  EXPECT_EQ((*p)->position_ms, 123'000);
  EXPECT_EQ((*p)->duration_ms, 1'800'000);
  auto subscribed = (*fresh)->subscriptions().is_subscribed(user, lib.podcast.id);
  ASSERT_TRUE(subscribed);
  EXPECT_TRUE(*subscribed);
  auto podcast = (*fresh)->podcasts().find(lib.podcast.id);
  ASSERT_TRUE(podcast);
  EXPECT_EQ(podcast->feed_url, lib.podcast.feed_url);
  EXPECT_EQ(podcast->image_url, lib.podcast.image_url);
  auto summary = (*fresh)->summaries().find(lib.episodes[0].id);
  ASSERT_TRUE(summary && *summary);
  EXPECT_EQ((*summary)->abstract, "All about green tea.");
  // Exporting the restored library gives the same document.
  auto again = export_library_json(**fresh, user);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->dump(), doc->dump());
}

// (episode, start, title) of each of the user's snips, sorted: what `hark snips` shows.
std::vector<std::tuple<Id, Millis, std::string>> snip_keys(store::Store& store, Id user) {
  std::vector<std::tuple<Id, Millis, std::string>> out;
  const auto snips = store.snips().list(user);
  EXPECT_TRUE(snips);
  if (!snips) return out;
  for (const auto& s : *snips) out.emplace_back(s.episode_id, s.start_ms, s.title);
  std::sort(out.begin(), out.end());
  return out;
}

TEST(Portability, ImportIntoALibraryThatHasPartOfItMergesWithoutDuplicates) {
  ExportLibrary lib;
  store::Position pos;
  pos.user_id = lib.user;
  pos.episode_id = lib.episodes[0].id;
  pos.position_ms = 50'000;
  ASSERT_TRUE(lib.store->positions().save(pos));
  auto doc = export_library_json(*lib.store, lib.user);
  ASSERT_TRUE(doc) << doc.error().message;

  // B: part of A (its last snip and the position missing), plus a snip of B's own that
  // takes the id A's last snip has.
  testing::TempDir other;
  auto b = store::sqlite::open(other / "hark.db");
  ASSERT_TRUE(b);
  const Id user = (*b)->users().default_user()->id;
  auto part = *doc;
  part["snips"].erase(part["snips"].size() - 1);
  part["positions"] = nlohmann::json::array();
  ASSERT_TRUE(import_library_json(**b, user, part));
  store::Snip own;
  own.user_id = user;
  own.episode_id = lib.episodes[1].id;
  own.start_ms = 500'000;
  own.end_ms = 520'000;
  own.title = "B's own";
  auto inserted = (*b)->snips().insert(own);
  ASSERT_TRUE(inserted);
  EXPECT_EQ(inserted->id, lib.snips[2].id);  // the id is taken in B
  // B listened further, later than A's position was saved.
  pos.position_ms = 90'000;
  pos.user_id = user;

  auto merged = import_library_json(**b, user, *doc);
  ASSERT_TRUE(merged) << merged.error().message;
  EXPECT_TRUE(merged->merged);
  EXPECT_EQ(merged->report.podcasts_existing, 1);
  EXPECT_EQ(merged->report.episodes_existing, 2);
  EXPECT_EQ(merged->report.snips_existing, 2);
  EXPECT_EQ(merged->snips, 1);
  EXPECT_EQ(merged->report.positions_added, 1);
  EXPECT_EQ(merged->podcasts, 0);

  // B's snips are the union: A's three and B's own, each once.
  auto expected = snip_keys(*lib.store, lib.user);
  expected.emplace_back(lib.episodes[1].id, 500'000, "B's own");
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(snip_keys(**b, user), expected);
  auto p = (*b)->positions().find(user, lib.episodes[0].id);
  ASSERT_TRUE(p && *p);
  EXPECT_EQ((*p)->position_ms, 50'000);

  // A newer position in B is kept; merging again adds nothing.
  ASSERT_TRUE((*b)->positions().save(pos));
  auto again = import_library_json(**b, user, *doc);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->snips, 0);
  EXPECT_EQ(again->report.snips_existing, 3);
  EXPECT_EQ(again->report.positions_kept, 1);
  EXPECT_EQ(snip_keys(**b, user), expected);
  EXPECT_EQ((*(*b)->positions().find(user, lib.episodes[0].id))->position_ms, 90'000);
  EXPECT_EQ((*b)->podcasts().list()->size(), 1u);
}

TEST(Portability, MergesIntoALibraryWithOtherIds) {
  ExportLibrary lib;
  auto doc = export_library_json(*lib.store, lib.user);
  ASSERT_TRUE(doc);
  testing::TempDir other;
  auto c = store::sqlite::open(other / "hark.db");
  ASSERT_TRUE(c);
  const Id user = (*c)->users().default_user()->id;
  Podcast first;
  first.feed_url = "https://other.example.org/feed.xml";
  first.title = "Another show";
  ASSERT_TRUE((*c)->podcasts().insert(first));  // takes A's podcast id
  auto merged = import_library_json(**c, user, *doc);
  ASSERT_TRUE(merged) << merged.error().message;
  EXPECT_EQ(merged->podcasts, 1);
  EXPECT_EQ(merged->snips, 3);
  const auto snips = (*c)->snips().list(user);
  ASSERT_EQ(snips->size(), 3u);
  for (const auto& s : *snips) {
    auto episode = (*c)->episodes().find(s.episode_id);
    ASSERT_TRUE(episode);
    EXPECT_EQ((*c)->podcasts().find(episode->podcast_id)->feed_url, lib.podcast.feed_url);
  }
  // Importing its own backup into a library merges nothing new.
  auto twice = import_library_json(*lib.store, lib.user, *doc);
  ASSERT_TRUE(twice) << twice.error().message;
  EXPECT_EQ(twice->snips, 0);
  EXPECT_EQ(twice->report.snips_existing, 3);
  EXPECT_EQ(lib.store->snips().list(lib.user)->size(), 3u);
}

TEST(Portability, RefusesForeignDocuments) {
  ExportLibrary lib;
  auto doc = export_library_json(*lib.store, lib.user);
  ASSERT_TRUE(doc);

  testing::TempDir other;
  auto fresh = store::sqlite::open(other / "hark.db");
  ASSERT_TRUE(fresh);
  const Id user = (*fresh)->users().default_user()->id;
  auto foreign = import_library_json(**fresh, user, nlohmann::json{{"hello", 1}});
  ASSERT_FALSE(foreign);
  EXPECT_NE(foreign.error().message.find("not a hark library backup"), std::string::npos);
  auto bad = *doc;
  bad["snips"][0]["start_ms"] = "soon";
  auto typed = import_library_json(**fresh, user, bad);
  ASSERT_FALSE(typed);
  EXPECT_NE(typed.error().message.find("snips[0].start_ms"), std::string::npos)
      << typed.error().message;
  auto dangling = *doc;
  dangling["snips"][0]["episode_id"] = 999;
  auto broken = import_library_json(**fresh, user, dangling);
  ASSERT_FALSE(broken);
  EXPECT_NE(broken.error().message.find("nothing was imported"), std::string::npos)
      << broken.error().message;
  EXPECT_TRUE((*fresh)->podcasts().list()->empty());  // the transaction rolled back
}

}  // namespace
}  // namespace hark::app
