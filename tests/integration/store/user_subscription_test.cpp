// UserRepo and SubscriptionRepo.
#include "store_fixture.hpp"

namespace hark::store::testing {
namespace {

using UserTest = StoreTest;
using SubscriptionTest = StoreTest;

TEST_F(UserTest, DefaultUserIsCreatedOnceAsAdmin) {
  auto first = store_->users().default_user();
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(first->name, "local");
  EXPECT_TRUE(first->is_admin);
  EXPECT_GT(first->created_at, 0);

  auto second = store_->users().default_user();
  ASSERT_TRUE(second);
  EXPECT_EQ(second->id, first->id);
  EXPECT_EQ(store_->users().list()->size(), 1u);
}

TEST_F(UserTest, CreateFindAndList) {
  auto alice = store_->users().create("alice", false);
  auto root = store_->users().create("root", true);
  ASSERT_TRUE(alice && root);
  EXPECT_FALSE(alice->is_admin);
  EXPECT_TRUE(root->is_admin);

  auto found = store_->users().find_by_name("alice");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->id, alice->id);
  auto list = store_->users().list();
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].name, "alice");
  EXPECT_EQ((*list)[1].name, "root");
}

TEST_F(UserTest, NamesAreUniqueIgnoringCase) {
  ASSERT_TRUE(store_->users().create("Alice", false));
  auto clash = store_->users().create("alice", false);
  ASSERT_FALSE(clash);
  EXPECT_EQ(clash.error().code, ErrorCode::Conflict);
  EXPECT_EQ(clash.error().message, "a user named 'alice' already exists");
  auto found = store_->users().find_by_name("ALICE");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->name, "Alice");
}

TEST_F(UserTest, EmptyNameIsInvalidAndUnknownNameNotFound) {
  EXPECT_EQ(store_->users().create("", false).error().code, ErrorCode::InvalidInput);
  auto missing = store_->users().find_by_name("nobody");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::NotFound);
  EXPECT_EQ(missing.error().message, "no user named 'nobody'");
}

TEST_F(SubscriptionTest, SubscribeIsIdempotentAndUnsubscribeToo) {
  auto user = store_->users().default_user();
  ASSERT_TRUE(user);
  auto podcast = add_podcast("https://example.com/feed.xml");

  EXPECT_FALSE(*store_->subscriptions().is_subscribed(user->id, podcast.id));
  ASSERT_TRUE(store_->subscriptions().subscribe(user->id, podcast.id));
  ASSERT_TRUE(store_->subscriptions().subscribe(user->id, podcast.id));
  EXPECT_TRUE(*store_->subscriptions().is_subscribed(user->id, podcast.id));
  EXPECT_EQ(store_->podcasts().list(user->id)->size(), 1u);

  ASSERT_TRUE(store_->subscriptions().unsubscribe(user->id, podcast.id));
  ASSERT_TRUE(store_->subscriptions().unsubscribe(user->id, podcast.id));
  EXPECT_FALSE(*store_->subscriptions().is_subscribed(user->id, podcast.id));
  EXPECT_TRUE(store_->podcasts().list(user->id)->empty());
  EXPECT_EQ(store_->podcasts().list()->size(), 1u);  // the podcast itself stays
}

TEST_F(SubscriptionTest, SubscribingToMissingThingsNamesThem) {
  auto user = store_->users().default_user();
  ASSERT_TRUE(user);
  auto podcast = add_podcast("https://example.com/feed.xml");

  auto no_podcast = store_->subscriptions().subscribe(user->id, 777);
  ASSERT_FALSE(no_podcast);
  EXPECT_EQ(no_podcast.error().code, ErrorCode::NotFound);
  EXPECT_EQ(no_podcast.error().message, "no podcast with id 777");

  auto no_user = store_->subscriptions().subscribe(888, podcast.id);
  ASSERT_FALSE(no_user);
  EXPECT_EQ(no_user.error().code, ErrorCode::NotFound);
  EXPECT_EQ(no_user.error().message, "no user with id 888");
}

}  // namespace
}  // namespace hark::store::testing
