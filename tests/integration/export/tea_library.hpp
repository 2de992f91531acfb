// The library the export API suites start from: "The Tea Hour", one episode ("Green tea"),
// and snips on it made the same way.
#pragma once

#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "store/store.hpp"

namespace hark::testing {

// Adds the podcast and its episode, subscribing `subscriber` when given; the episode's id
// (0 after a failed expectation).
inline Id tea_episode(store::Store& store, std::optional<Id> subscriber = std::nullopt) {
  Podcast p;
  p.feed_url = "https://tea.example.org/feed.xml";
  p.title = "The Tea Hour";
  const auto podcast = store.podcasts().insert(p);
  EXPECT_TRUE(podcast);
  if (!podcast) return 0;
  if (subscriber) {
    EXPECT_TRUE(store.subscriptions().subscribe(*subscriber, podcast->id));
  }
  Episode e;
  e.key = "ep-1";
  e.title = "Green tea";
  EXPECT_TRUE(store.episodes().upsert(podcast->id, {e}));
  const auto episodes = store.episodes().list(podcast->id);
  EXPECT_TRUE(episodes && !episodes->empty());
  return episodes && !episodes->empty() ? episodes->front().id : 0;
}

// A snip of `user` on `episode` with its range and title; the other fields empty.
inline store::Snip tea_snip(Id user, Id episode, Millis start_ms, Millis end_ms,
                            std::string title) {
  store::Snip s;
  s.user_id = user;
  s.episode_id = episode;
  s.start_ms = start_ms;
  s.end_ms = end_ms;
  s.title = std::move(title);
  return s;
}

}  // namespace hark::testing
