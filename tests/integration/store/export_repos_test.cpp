// Export settings (migration 11) and export state (migration 5): find, save/put and remove by
// their two-part keys, and the errors that leave what is stored as it was.
#include "store_fixture.hpp"

namespace hark::store::testing {
namespace {

class ExportReposTest : public StoreTest {
 protected:
  Id add_snip(Id user_id, Id episode_id) {
    Snip s;
    s.user_id = user_id;
    s.episode_id = episode_id;
    s.start_ms = 1'000;
    s.end_ms = 2'000;
    auto inserted = store_->snips().insert(s);
    EXPECT_TRUE(inserted) << (inserted ? "" : inserted.error().message);
    return inserted ? inserted->id : 0;
  }

  static ExportSettings notion(Id user_id, const std::string& token) {
    ExportSettings s;
    s.user_id = user_id;
    s.service = "notion";
    s.token = token;
    s.database_id = "db-1";
    s.page_per_episode = true;
    return s;
  }
};

TEST_F(ExportReposTest, SettingsAreFoundByUserAndServiceAndKeepTheirRunRecordOnSave) {
  const Id u = default_user_id();
  ASSERT_TRUE(store_->export_settings().save(notion(u, "secret-1")));
  auto found = store_->export_settings().find(u, "notion");
  ASSERT_TRUE(found) << found.error().message;
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->user_id, u);
  EXPECT_EQ((*found)->service, "notion");
  EXPECT_EQ((*found)->token, "secret-1");
  EXPECT_EQ((*found)->database_id, "db-1");
  EXPECT_TRUE((*found)->page_per_episode);
  EXPECT_GT((*found)->updated_at, 0);
  auto other = store_->export_settings().find(u, "readwise");
  ASSERT_TRUE(other);
  EXPECT_FALSE(other->has_value());

  ASSERT_TRUE(store_->export_settings().set_job(u, "notion", 42));
  ASSERT_TRUE(
      store_->export_settings().record_run(u, "notion", {1'234, 3, 2, 1, 4, "rate limited"}));
  auto changed = notion(u, "secret-2");
  changed.page_per_episode = false;
  ASSERT_TRUE(store_->export_settings().save(changed));
  auto saved = store_->export_settings().find(u, "notion");
  ASSERT_TRUE(saved && saved->has_value());
  EXPECT_EQ((*saved)->token, "secret-2");
  EXPECT_FALSE((*saved)->page_per_episode);
  EXPECT_EQ((*saved)->job_id, 42);
  const auto& run = (*saved)->last_run;
  EXPECT_EQ(run.at, 1'234);
  EXPECT_EQ(run.sent, 3);
  EXPECT_EQ(run.updated, 2);
  EXPECT_EQ(run.unchanged, 1);
  EXPECT_EQ(run.failed, 4);
  EXPECT_EQ(run.error, "rate limited");
}

TEST_F(ExportReposTest, RemovingSettingsForgetsOnlyThatServiceAndIsIdempotent) {
  const Id u = default_user_id();
  ASSERT_TRUE(store_->export_settings().save(notion(u, "n")));
  ExportSettings readwise;
  readwise.user_id = u;
  readwise.service = "readwise";
  readwise.token = "r";
  ASSERT_TRUE(store_->export_settings().save(readwise));

  ASSERT_TRUE(store_->export_settings().remove(u, "notion"));
  EXPECT_FALSE(store_->export_settings().find(u, "notion")->has_value());
  EXPECT_TRUE(store_->export_settings().find(u, "readwise")->has_value());
  EXPECT_TRUE(store_->export_settings().remove(u, "notion"));  // already gone
  auto job = store_->export_settings().set_job(u, "notion", 7);
  ASSERT_FALSE(job);
  EXPECT_EQ(job.error().code, ErrorCode::NotFound);
  auto run = store_->export_settings().record_run(u, "notion", {1, 0, 0, 0, 0, ""});
  ASSERT_FALSE(run);
  EXPECT_EQ(run.error().code, ErrorCode::NotFound);
}

TEST_F(ExportReposTest, SettingsForAnUnknownServiceOrUserAreRefused) {
  const Id u = default_user_id();
  auto bad = notion(u, "t");
  bad.service = "evernote";
  auto refused = store_->export_settings().save(bad);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::InvalidInput);
  EXPECT_FALSE(store_->export_settings().find(u, "evernote")->has_value());

  auto nobody = store_->export_settings().save(notion(u + 100, "t"));
  ASSERT_FALSE(nobody);
  EXPECT_EQ(nobody.error().code, ErrorCode::NotFound);
  EXPECT_NE(nobody.error().message.find("no user with id"), std::string::npos);
  EXPECT_FALSE(store_->export_settings().find(u + 100, "notion")->has_value());
}

TEST_F(ExportReposTest, StateIsFoundByTargetAndSnipAndReplacedOnPut) {
  const Id u = default_user_id();
  const Id snip = add_snip(u, add_episode());
  ASSERT_TRUE(store_->export_state().put({snip, "readwise", "rw-1", "hash-1", 0}));
  auto found = store_->export_state().find("readwise", snip);
  ASSERT_TRUE(found) << found.error().message;
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->snip_id, snip);
  EXPECT_EQ((*found)->target, "readwise");
  EXPECT_EQ((*found)->remote_id, "rw-1");
  EXPECT_EQ((*found)->content_hash, "hash-1");
  EXPECT_GT((*found)->exported_at, 0);
  EXPECT_FALSE(store_->export_state().find("notion:db-1", snip)->has_value());

  ASSERT_TRUE(store_->export_state().put({snip, "readwise", "rw-1", "hash-2", 0}));
  ASSERT_TRUE(store_->export_state().put({snip, "notion:db-1", "page-9", "hash-1", 0}));
  EXPECT_EQ((*store_->export_state().find("readwise", snip))->content_hash, "hash-2");
  auto listed = store_->export_state().list("readwise", u);
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].content_hash, "hash-2");

  ASSERT_TRUE(store_->export_state().remove("readwise", snip));
  EXPECT_FALSE(store_->export_state().find("readwise", snip)->has_value());
  EXPECT_TRUE(store_->export_state().find("notion:db-1", snip)->has_value());
  EXPECT_TRUE(store_->export_state().remove("readwise", snip));  // idempotent
}

TEST_F(ExportReposTest, StateForAnUnknownSnipOrWithoutTargetIsRefused) {
  const Id u = default_user_id();
  const Id snip = add_snip(u, add_episode());
  auto untargeted = store_->export_state().put({snip, "", "x", "h", 0});
  ASSERT_FALSE(untargeted);
  EXPECT_EQ(untargeted.error().code, ErrorCode::InvalidInput);
  EXPECT_FALSE(store_->export_state().find("", snip)->has_value());

  auto unknown = store_->export_state().put({snip + 100, "readwise", "x", "h", 0});
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ErrorCode::NotFound);
  EXPECT_NE(unknown.error().message.find("no snip with id"), std::string::npos);
  EXPECT_TRUE(store_->export_state().list("readwise", u)->empty());
}

}  // namespace
}  // namespace hark::store::testing
