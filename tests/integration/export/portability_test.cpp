// export_library_json → a new, empty library → import_library_json: the same snips (notes,
// share ids, times), positions and subscriptions; a full library or a foreign document is
// refused without storing anything.
#include "app/portability.hpp"

#include <gtest/gtest.h>

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

TEST(Portability, RefusesAFullLibraryAndForeignDocuments) {
  ExportLibrary lib;
  auto doc = export_library_json(*lib.store, lib.user);
  ASSERT_TRUE(doc);
  auto twice = import_library_json(*lib.store, lib.user, *doc);
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().code, ErrorCode::Conflict);
  EXPECT_NE(twice.error().message.find("--data"), std::string::npos);
  EXPECT_EQ(lib.store->snips().list(lib.user)->size(), 3u);

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
