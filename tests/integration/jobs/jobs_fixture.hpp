// Shared by the job runner's tests and the job_probe helper: a store in a fresh
// temporary directory, an episode to attach work to, and the probe's plan.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "app/jobs.hpp"
#include "probe_plan.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "store/store.hpp"
#include "temp_dir.hpp"

namespace hark::app::testing {

class JobsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = open_store();
    ASSERT_TRUE(store_);
  }

  std::unique_ptr<store::Store> open_store() {
    auto opened = store::sqlite::open(db_path());
    if (!opened) {
      ADD_FAILURE() << "open failed: " << opened.error().message;
      return nullptr;
    }
    return std::move(*opened);
  }

  [[nodiscard]] std::filesystem::path db_path() const { return dir_ / "hark.db"; }

  // A podcast with one episode; the episode's id.
  Id add_episode(const std::string& key = "ep") {
    Podcast podcast;
    podcast.feed_url = "https://example.com/" + key + ".xml";
    auto inserted = store_->podcasts().insert(podcast);
    EXPECT_TRUE(inserted) << (inserted ? "" : inserted.error().message);
    if (!inserted) return 0;
    Episode episode;
    episode.key = key;
    auto counts = store_->episodes().upsert(inserted->id, {episode});
    EXPECT_TRUE(counts) << (counts ? "" : counts.error().message);
    return counts && !counts->added_ids.empty() ? counts->added_ids.front() : 0;
  }

  store::Job enqueue(store::Job job) {
    auto queued = store_->jobs().enqueue(job);
    EXPECT_TRUE(queued) << (queued ? "" : queued.error().message);
    return queued ? *queued : job;
  }

  store::Job find(Id job_id) {
    auto found = store_->jobs().find(job_id);
    EXPECT_TRUE(found) << (found ? "" : found.error().message);
    return found ? *found : store::Job{};
  }

  hark::testing::TempDir dir_;
  std::unique_ptr<store::Store> store_;
};

}  // namespace hark::app::testing
