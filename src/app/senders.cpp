#include "app/senders.hpp"

#include <algorithm>
#include <map>

#include "export/notion.hpp"
#include "export/readwise.hpp"

namespace hark::app {
namespace {

Error stopped(const Error& e, const std::string& service, const SyncOutcome& done,
              std::size_t total) {
  const int sent = done.created + done.updated + done.unchanged;
  return Error(e.code, e.message + " — the " + service + " export stopped after " +
                           std::to_string(sent) + " of " + std::to_string(total) +
                           " snips; those are remembered, so running it again sends only the rest");
}

// Keeps the items of `options.snip_id` (or, `whole_episode`, of its episode); all without.
// NotFound when the snip is not among them (not the user's, or deleted).
Status keep_only(std::vector<exports::SnipContext>& items, const SenderOptions& options,
                 bool whole_episode) {
  if (!options.snip_id) return ok();
  const auto it = std::find_if(items.begin(), items.end(),
                               [&](const auto& c) { return c.snip.id == *options.snip_id; });
  if (it == items.end())
    return not_found("no snip with id " + std::to_string(*options.snip_id) + " to send");
  const Id episode = it->snip.episode_id;
  std::erase_if(items, [&](const auto& c) {
    return whole_episode ? c.snip.episode_id != episode : c.snip.id != *options.snip_id;
  });
  return ok();
}

Status tell(const SenderOptions& options, const SyncOutcome& done, std::size_t total) {
  return options.progress ? options.progress(done, total) : ok();
}

}  // namespace

// The user's snips with their episode and podcast, oldest first (the order they were made).
Result<std::vector<exports::SnipContext>> load_snip_contexts(store::Store& store, Id user_id,
                                                             const std::string& public_url,
                                                             std::optional<Id> episode_id) {
  auto snips = store.snips().list(user_id, episode_id);
  if (!snips) return snips.error();
  std::reverse(snips->begin(), snips->end());
  std::map<Id, Episode> episodes;
  std::map<Id, Podcast> podcasts;
  std::vector<exports::SnipContext> out;
  for (auto& s : *snips) {
    if (!episodes.contains(s.episode_id)) {
      auto e = store.episodes().find(s.episode_id);
      if (!e) return e.error().with_context("snip " + std::to_string(s.id));
      episodes.emplace(s.episode_id, std::move(*e));
    }
    const Episode& episode = episodes.at(s.episode_id);
    if (!podcasts.contains(episode.podcast_id)) {
      auto p = store.podcasts().find(episode.podcast_id);
      if (!p) return p.error().with_context("snip " + std::to_string(s.id));
      podcasts.emplace(episode.podcast_id, std::move(*p));
    }
    out.push_back({std::move(s), podcasts.at(episode.podcast_id), episode, public_url});
  }
  return out;
}

Result<SyncOutcome> export_readwise(store::Store& store, net::HttpClient& http, Id user_id,
                                    const ExportConfig& config, const SenderOptions& options) {
  if (config.readwise_token.empty())
    return invalid_input("no Readwise access token: set " + config.readwise_token_setting +
                         " (get it at https://readwise.io/access_token)");
  auto items = load_snip_contexts(store, user_id, options.public_url);
  if (!items) return items.error();
  HARK_TRY(keep_only(*items, options, false));
  exports::ReadwiseClient client(http, config.readwise_base_url, config.readwise_token,
                                 options.retry);
  client.name_token_setting(config.readwise_token_setting);
  HARK_TRY(client.check_token());
  const std::string target(kReadwiseTarget);
  SyncOutcome outcome;
  for (const auto& item : *items) {
    const auto highlight = exports::readwise_highlight(item);
    const auto hash = exports::content_hash(highlight.dump());
    auto record = store.export_state().find(target, item.snip.id);
    if (!record) return record.error();
    if (*record && (*record)->content_hash == hash) {
      ++outcome.unchanged;
      if (auto told = tell(options, outcome, items->size()); !told)
        return stopped(told.error(), "Readwise", outcome, items->size());
      continue;
    }
    std::string remote_id;
    bool updated = false;
    if (*record && !(*record)->remote_id.empty()) {
      auto done = client.update((*record)->remote_id, exports::readwise_update(highlight));
      if (!done) return stopped(done.error(), "Readwise", outcome, items->size());
      if (*done) {
        remote_id = (*record)->remote_id;
        updated = true;
      }
    }
    if (!updated) {
      auto id = client.create(highlight);
      if (!id) return stopped(id.error(), "Readwise", outcome, items->size());
      remote_id = std::move(*id);
    }
    HARK_TRY(store.export_state().put({item.snip.id, target, remote_id, hash, 0}));
    ++(updated ? outcome.updated : outcome.created);
    if (auto told = tell(options, outcome, items->size()); !told)
      return stopped(told.error(), "Readwise", outcome, items->size());
  }
  return outcome;
}

std::string notion_target(const std::string& database_id) {
  return "notion:" + database_id;
}

Result<SyncOutcome> export_notion(store::Store& store, net::HttpClient& http, Id user_id,
                                  const ExportConfig& config, const SenderOptions& options) {
  if (config.notion_token.empty())
    return invalid_input("no Notion integration token: set " + config.notion_token_setting +
                         " (an internal integration's secret, from "
                         "https://www.notion.so/my-integrations)");
  if (config.notion_database_id.empty())
    return invalid_input("no Notion database: set " + config.notion_database_setting +
                         " (the 32-character id in the database's link)");
  auto items = load_snip_contexts(store, user_id, options.public_url);
  if (!items) return items.error();
  HARK_TRY(keep_only(*items, options, config.notion_page_per_episode));
  exports::NotionClient client(http, config.notion_base_url, config.notion_token, options.retry);
  client.name_settings(config.notion_token_setting, config.notion_database_setting);
  auto db = client.database(config.notion_database_id);
  if (!db) return db.error();
  const std::string target = notion_target(config.notion_database_id);
  const bool per_episode = config.notion_page_per_episode;

  // Pages: one per snip, or one per episode (in the order of each episode's first snip).
  std::vector<std::vector<exports::SnipContext>> pages;
  std::map<Id, std::size_t> page_of_episode;
  for (auto& item : *items) {
    if (!per_episode) {
      pages.push_back({std::move(item)});
      continue;
    }
    const auto [it, added] = page_of_episode.emplace(item.snip.episode_id, pages.size());
    if (added) pages.emplace_back();
    pages[it->second].push_back(std::move(item));
  }
  for (auto& page : pages)
    std::stable_sort(page.begin(), page.end(), [](const auto& a, const auto& b) {
      return a.snip.start_ms < b.snip.start_ms;
    });

  SyncOutcome outcome;
  const auto count = [&](int n, int& field) { field += n; };
  for (const auto& page : pages) {
    const auto props = exports::notion_properties(*db, page, per_episode);
    const auto blocks = exports::notion_blocks(page, per_episode);
    const auto hash = exports::content_hash(props.dump() + blocks.dump());
    std::string page_id;
    bool all_current = true;
    for (const auto& item : page) {
      auto record = store.export_state().find(target, item.snip.id);
      if (!record) return record.error();
      if (*record && page_id.empty()) page_id = (*record)->remote_id;
      if (!*record || (*record)->content_hash != hash || (*record)->remote_id != page_id)
        all_current = false;
    }
    const int n = static_cast<int>(page.size());
    if (all_current) {
      count(n, outcome.unchanged);
      if (auto told = tell(options, outcome, items->size()); !told)
        return stopped(told.error(), "Notion", outcome, items->size());
      continue;
    }
    bool updated = false;
    if (!page_id.empty()) {
      auto done = client.update_page(page_id, props, blocks);
      if (!done) return stopped(done.error(), "Notion", outcome, items->size());
      updated = *done;
    }
    if (!updated) {
      auto id = client.create_page(config.notion_database_id, props, blocks);
      if (!id) return stopped(id.error(), "Notion", outcome, items->size());
      page_id = std::move(*id);
      if (blocks.size() > exports::kNotionMaxChildren) {
        // The page exists with its first blocks: remember it (with no hash, so it counts as
        // out of date) before sending the rest, so a failure now makes the next run replace
        // this page's blocks rather than create a second page.
        for (const auto& item : page)
          HARK_TRY(store.export_state().put({item.snip.id, target, page_id, "", 0}));
        auto rest = client.append_blocks(page_id, blocks, exports::kNotionMaxChildren);
        if (!rest) return stopped(rest.error(), "Notion", outcome, items->size());
      }
    }
    for (const auto& item : page)
      HARK_TRY(store.export_state().put({item.snip.id, target, page_id, hash, 0}));
    count(n, updated ? outcome.updated : outcome.created);
    if (auto told = tell(options, outcome, items->size()); !told)
      return stopped(told.error(), "Notion", outcome, items->size());
  }
  return outcome;
}

}  // namespace hark::app
