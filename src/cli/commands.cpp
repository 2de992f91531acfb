#include "cli/commands.hpp"

#include <termios.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <future>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "app/accounts.hpp"
#include "app/export_config.hpp"
#include "app/pipeline.hpp"
#include "app/server_config.hpp"
#include "app/worker.hpp"
#include "cli/output.hpp"
#include "server/server.hpp"
#include "transcript/emit.hpp"
#include "transcript/format.hpp"

namespace hark::cli {
namespace {

Result<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return not_found("cannot open " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void print_warnings(const std::vector<std::string>& warnings, const std::string& prefix) {
  for (const auto& w : warnings) std::cerr << "warning: " << prefix << w << "\n";
}

}  // namespace

Status cmd_add(app::App& app, const std::string& url_or_path, const Options& o) {
  auto r = app.library().subscribe(url_or_path, app.local_user().id);
  if (!r) return r.error();
  print_warnings(r->warnings, "");
  if (o.json) {
    auto j = podcast_json(r->podcast);
    j["added"] = r->episodes.added;
    j["updated"] = r->episodes.updated;
    std::cout << j.dump(2) << "\n";
    return ok();
  }
  const int total = r->episodes.added + r->episodes.updated + r->episodes.unchanged;
  std::cout << (r->already_known ? "Subscribed to " : "Added ") << r->podcast.title << " (podcast "
            << r->podcast.id << ", " << total << " episode" << (total == 1 ? "" : "s") << ")\n";
  return ok();
}

Status cmd_import(app::App& app, const std::string& opml_path, const Options& o) {
  auto bytes = read_file(opml_path);
  if (!bytes) return bytes.error();
  ProgressBar bar("importing");
  auto r = app.library().import_opml(
      *bytes, app.local_user().id,
      [&](int done, int total, const std::string& item) { bar.update(done, total, item); });
  bar.finish();
  if (!r) return r.error().with_context(opml_path);
  if (o.json) {
    nlohmann::json j = {{"added", nlohmann::json::array()}, {"failed", nlohmann::json::array()}};
    for (const auto& a : r->added) j["added"].push_back(podcast_json(a.podcast));
    for (const auto& [url, err] : r->failed)
      j["failed"].push_back({{"feed_url", url}, {"error", err}});
    std::cout << j.dump(2) << "\n";
  } else {
    std::cout << "Imported " << r->added.size() << " podcast" << (r->added.size() == 1 ? "" : "s");
    if (!r->failed.empty()) std::cout << "; " << r->failed.size() << " failed";
    std::cout << "\n";
    for (const auto& [url, err] : r->failed) std::cerr << "failed: " << url << ": " << err << "\n";
  }
  if (!r->failed.empty() && r->added.empty())
    return unavailable("none of the " + std::to_string(r->failed.size()) + " feeds could be added");
  return ok();
}

Status cmd_export_opml(app::App& app, const std::string& out_path) {
  auto opml = app.library().export_opml(app.local_user().id);
  if (!opml) return opml.error();
  if (out_path.empty() || out_path == "-") {
    std::cout << *opml;
    return ok();
  }
  const auto tmp = out_path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return invalid_input("cannot write " + out_path);
    out << *opml;
    if (!out.flush()) return internal_error("writing " + out_path + " failed");
  }
  std::error_code ec;
  std::filesystem::rename(tmp, out_path, ec);
  if (ec) return internal_error("cannot write " + out_path + ": " + ec.message());
  return ok();
}

Status cmd_refresh(app::App& app, std::optional<Id> podcast_id, const Options& o) {
  std::vector<app::RefreshResult> results;
  if (podcast_id) {
    results.push_back(app.library().refresh(*podcast_id));
  } else {
    ProgressBar bar("refreshing");
    auto all = app.library().refresh_all(
        app.local_user().id,
        [&](int done, int total, const std::string& item) { bar.update(done, total, item); });
    bar.finish();
    if (!all) return all.error();
    results = std::move(*all);
  }
  int failed = 0, updated = 0, unchanged = 0, new_episodes = 0;
  nlohmann::json j = nlohmann::json::array();
  for (const auto& r : results) {
    const char* outcome = r.outcome == app::RefreshOutcome::Updated       ? "updated"
                          : r.outcome == app::RefreshOutcome::NotModified ? "not_modified"
                                                                          : "failed";
    if (r.outcome == app::RefreshOutcome::Failed)
      ++failed;
    else if (r.outcome == app::RefreshOutcome::Updated)
      ++updated;
    else
      ++unchanged;
    new_episodes += r.episodes.added;
    if (o.json) {
      j.push_back({{"podcast_id", r.podcast_id},
                   {"feed_url", r.feed_url},
                   {"outcome", outcome},
                   {"new_episodes", r.episodes.added},
                   {"error", r.error.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.error)},
                   {"moved_to",
                    r.moved_to.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.moved_to)}});
    } else {
      if (r.outcome == app::RefreshOutcome::Failed)
        std::cerr << "failed: podcast " << r.podcast_id << ": " << r.error << "\n";
      if (!r.moved_to.empty())
        std::cerr << "moved: podcast " << r.podcast_id << " now uses " << r.moved_to << "\n";
      print_warnings(r.warnings, "podcast " + std::to_string(r.podcast_id) + ": ");
    }
  }
  if (o.json)
    std::cout << j.dump(2) << "\n";
  else
    std::cout << "Refreshed " << results.size() << " podcast" << (results.size() == 1 ? "" : "s")
              << ": " << updated << " updated, " << unchanged << " unchanged, " << failed
              << " failed; " << new_episodes << " new episode" << (new_episodes == 1 ? "" : "s")
              << "\n";
  if (podcast_id && failed > 0) return unavailable(results.front().error);
  return ok();
}

Status cmd_podcasts(app::App& app, const Options& o) {
  auto list = app.store().podcasts().list(app.local_user().id);
  if (!list) return list.error();
  if (o.json) {
    nlohmann::json j = nlohmann::json::array();
    for (const auto& p : *list) j.push_back(podcast_json(p));
    std::cout << j.dump(2) << "\n";
  } else if (list->empty()) {
    std::cout << "No podcasts yet. Add one with: hark add <feed URL or file>\n";
  } else {
    std::cout << podcasts_table(*list);
  }
  return ok();
}

Status cmd_episodes(app::App& app, std::optional<Id> podcast_id, int limit, const Options& o) {
  if (podcast_id) {
    auto p = app.store().podcasts().find(*podcast_id);
    if (!p) return p.error();
  }
  auto list = app.store().episodes().list(podcast_id, limit);
  if (!list) return list.error();
  if (o.json) {
    nlohmann::json j = nlohmann::json::array();
    for (const auto& e : *list) j.push_back(episode_json(e));
    std::cout << j.dump(2) << "\n";
  } else if (list->empty()) {
    std::cout << "No episodes.\n";
  } else {
    std::cout << episodes_table(*list);
  }
  return ok();
}

Status cmd_download(app::App& app, Id episode_id, const Options& o) {
  ProgressBar bar("downloading");
  auto e = app.library().download(episode_id, [&](std::int64_t done, std::int64_t total) {
    bar.update(done, total > 0 ? total : 0, human_bytes(done));
    return true;
  });
  bar.finish();
  if (!e) return e.error();
  if (o.json) {
    auto j = episode_json(*e);
    j["download_path"] = e->download_path;
    j["download_size"] = e->download_size;
    std::cout << j.dump(2) << "\n";
  } else {
    std::cout << "Downloaded " << e->title << " (" << human_bytes(e->download_size) << ") to "
              << e->download_path << "\n";
  }
  return ok();
}

}  // namespace hark::cli

// ---- the episode pipeline --------------------------------------------------------------

namespace hark::cli {
namespace {

Result<std::vector<Episode>> selected_episodes(app::App& app, const EpisodeSelection& s) {
  const int chosen = (s.episode ? 1 : 0) + (s.podcast ? 1 : 0) + (s.all ? 1 : 0);
  if (chosen != 1) return invalid_input("name one episode, --podcast ID or --all");
  if (s.episode) {
    auto e = app.store().episodes().find(*s.episode);
    if (!e) return e.error();
    return std::vector<Episode>{std::move(*e)};
  }
  if (s.podcast) {
    auto p = app.store().podcasts().find(*s.podcast);
    if (!p) return p.error();
  }
  return app.store().episodes().list(s.podcast, -1);
}

// Runs the queue until idle on a background thread, drawing progress from the worker's
// totals meanwhile.
Result<app::RunSummary> run_queue(app::App& app, std::int64_t expected_jobs) {
  app::WorkerOptions options;
  options.threads = 2;
  app::Worker worker(app.store().jobs(), app.jobs(), options);
  auto run = std::async(std::launch::async, [&] { return worker.run_until_idle(); });
  ProgressBar bar("processing");
  while (run.wait_for(std::chrono::milliseconds(100)) != std::future_status::ready) {
    const auto t = worker.totals();
    const auto finished = static_cast<std::int64_t>(t.done + t.failed);
    bar.update(finished, std::max(expected_jobs, finished), "jobs");
  }
  bar.finish();
  return run.get();
}

nlohmann::json episode_outcome_json(app::App& app, const Episode& e) {
  nlohmann::json j = {{"id", e.id}, {"title", e.title}, {"transcript", nullptr}, {"chapters", 0}};
  if (auto info = app.store().transcripts().info(e.id); info && *info)
    j["transcript"] = {{"source", (*info)->source}, {"segments", (*info)->segment_count}};
  if (auto chapters = app.store().chapters().list(e.id); chapters) j["chapters"] = chapters->size();
  return j;
}

std::string episode_outcome_line(const nlohmann::json& j) {
  std::string line = "episode " + std::to_string(j["id"].get<Id>()) + ": ";
  if (j["transcript"].is_null())
    line += "no transcript (waiting for speech-to-text)";
  else
    line += "transcript (" + j["transcript"]["source"].get<std::string>() + ", " +
            std::to_string(j["transcript"]["segments"].get<int>()) + " segments)";
  line += ", " + std::to_string(j["chapters"].get<std::size_t>()) + " chapters";
  return line;
}

nlohmann::json job_json(const store::Job& job) {
  auto episode = app::episode_id_of(job);
  auto or_null = [](const std::string& s) {
    return s.empty() ? nlohmann::json(nullptr) : nlohmann::json(s);
  };
  return {{"id", job.id},
          {"kind", job.kind},
          {"state", store::to_string(job.state)},
          {"attempts", job.attempts},
          {"progress", job.progress},
          {"message", or_null(job.progress_message)},
          {"error", or_null(job.last_error)},
          {"episode", episode ? nlohmann::json(*episode) : nlohmann::json(nullptr)}};
}

}  // namespace

Status cmd_process(app::App& app, const EpisodeSelection& selection, const Options& o) {
  auto episodes = selected_episodes(app, selection);
  if (!episodes) return episodes.error();
  for (const auto& e : *episodes)
    if (auto queued = app::enqueue_episode(app.store(), e.id); !queued) return queued.error();
  const auto expected = static_cast<std::int64_t>(episodes->size() * app::kPipelineSteps.size());
  auto summary = run_queue(app, expected);
  if (!summary) return summary.error();

  nlohmann::json outcomes = nlohmann::json::array();
  for (const auto& e : *episodes) outcomes.push_back(episode_outcome_json(app, e));
  if (o.json) {
    std::cout << nlohmann::json{{"done", summary->done},
                                {"failed", summary->failed},
                                {"retrying", summary->retrying},
                                {"episodes", outcomes}}
                     .dump(2)
              << "\n";
  } else {
    for (const auto& j : outcomes) std::cout << episode_outcome_line(j) << "\n";
    std::cout << "Processed " << episodes->size() << " episode"
              << (episodes->size() == 1 ? "" : "s") << ": " << summary->done << " jobs done, "
              << summary->failed << " failed";
    if (summary->retrying > 0) std::cout << ", " << summary->retrying << " to retry later";
    std::cout << "\n";
  }
  if (summary->failed > 0)
    return unavailable(std::to_string(summary->failed) + " job(s) failed (see: hark jobs)");
  return ok();
}

Status cmd_jobs(app::App& app, const Options& o) {
  auto jobs = app.store().jobs().list(-1);
  if (!jobs) return jobs.error();
  nlohmann::json all = nlohmann::json::array();
  for (const auto& job : *jobs) all.push_back(job_json(job));
  if (o.json) {
    std::cout << all.dump(2) << "\n";
    return ok();
  }
  if (jobs->empty()) {
    std::cout << "No jobs. Queue some with: hark process --all\n";
    return ok();
  }
  std::cout << jobs_table(*jobs);
  return ok();
}

Status cmd_transcript(app::App& app, Id episode_id, const std::string& format_name) {
  const auto format = transcript::format_from_name(format_name);
  if (!format)
    return invalid_input("unknown transcript format '" + format_name +
                         "' (use vtt, srt, json or txt)");
  auto episode = app.store().episodes().find(episode_id);
  if (!episode) return episode.error();
  auto stored = app.store().transcripts().find(episode_id);
  if (!stored) return stored.error();
  if (!*stored) {
    const auto id = std::to_string(episode_id);
    return not_found("episode " + id + " has no transcript yet (run: hark process " + id + ")");
  }
  std::cout << transcript::emit_transcript(**stored, *format);
  return ok();
}

Status cmd_chapters(app::App& app, Id episode_id, const Options& o) {
  auto episode = app.store().episodes().find(episode_id);
  if (!episode) return episode.error();
  auto chapters = app.store().chapters().list(episode_id);
  if (!chapters) return chapters.error();
  if (o.json) {
    nlohmann::json j = nlohmann::json::array();
    for (const auto& c : *chapters) j.push_back(chapter_json(c));
    std::cout << j.dump(2) << "\n";
  } else if (chapters->empty()) {
    const auto id = std::to_string(episode_id);
    std::cout << "Episode " << id << " has no chapters (run: hark process " << id << ")\n";
  } else {
    std::cout << chapters_table(*chapters);
  }
  return ok();
}

namespace {

// Reads a line from the terminal without echoing it.
Result<std::string> read_hidden(const std::string& prompt) {
  std::cerr << prompt << std::flush;
  termios old{};
  const bool tty = ::tcgetattr(STDIN_FILENO, &old) == 0;
  if (tty) {
    termios quiet = old;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
  }
  std::string line;
  const bool got = static_cast<bool>(std::getline(std::cin, line));
  if (tty) ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
  std::cerr << "\n";
  if (!got) return invalid_input("no password was entered");
  return line;
}

Result<std::string> read_password(const std::string& name, bool from_stdin) {
  if (from_stdin) {
    std::string line;
    if (!std::getline(std::cin, line)) return invalid_input("no password on standard input");
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return line;
  }
  if (!::isatty(STDIN_FILENO))
    return invalid_input("no terminal to ask for the password; pipe it in with --password-stdin");
  auto first = read_hidden("Password for " + name + ": ");
  if (!first) return first.error();
  auto again = read_hidden("Repeat the password: ");
  if (!again) return again.error();
  if (*first != *again) return invalid_input("the two passwords differ; nothing was changed");
  return first;
}

}  // namespace

Status cmd_serve(app::Config config, const ServeFlags& flags) {
  auto sc = app::load_server_config(config);
  if (!sc) return sc.error();
  if (flags.listen) sc->listen = *flags.listen;
  if (flags.workers) sc->workers = *flags.workers;
  if (flags.web_dir) sc->web_dir = *flags.web_dir;
  auto listen = app::parse_listen(sc->listen);
  if (!listen) return listen.error();
  // [server] allow_private_networks is the server's own switch for LAN feeds; [network]
  // (or HARK_ALLOW_PRIVATE_NETWORKS) still wins when set.
  if (!config.allow_private_networks && sc->allow_private_networks)
    config.allow_private_networks = sc->allow_private_networks;
  auto opened = app::App::open(std::move(config), app::FrontEnd::Server);
  if (!opened) return opened.error();

  server::ServerOptions options;
  options.host = listen->first;
  options.port = listen->second;
  options.web_dir = sc->web_dir.empty() ? std::filesystem::path(HARK_DEFAULT_WEB_DIR) : sc->web_dir;
  options.workers = sc->workers;
  options.http_threads = sc->http_threads;
  options.refresh_interval_ms = static_cast<Millis>(sc->refresh_minutes) * 60'000;
  options.auto_process_recent = sc->auto_process_recent;
  options.secure_cookies = sc->secure_cookies;
  options.public_url = sc->public_url;
  options.clip_encoders = sc->clip_encoders;
  auto exports = app::load_export_config((*opened)->config());
  if (!exports) return exports.error();
  options.readwise_base_url = exports->readwise_base_url;
  options.notion_base_url = exports->notion_base_url;
  return server::serve(**opened, std::move(options), std::cerr);
}

Status cmd_user_add(app::App& app, const std::string& name, bool admin, bool password_stdin) {
  auto password = read_password(name, password_stdin);
  if (!password) return password.error();
  app::Accounts accounts(app.store());
  auto user = accounts.add_user(name, *password, admin);
  if (!user) return user.error();
  std::cout << "Added " << (admin ? "administrator " : "user ") << user->name << " (user "
            << user->id << ")\n";
  return ok();
}

Status cmd_user_list(app::App& app, const Options& o) {
  auto users = app.store().users().list();
  if (!users) return users.error();
  if (o.json) {
    nlohmann::json j = nlohmann::json::array();
    for (const auto& u : *users)
      j.push_back({{"id", u.id},
                   {"name", u.name},
                   {"is_admin", u.is_admin},
                   {"can_log_in", !u.password_hash.empty()}});
    std::cout << j.dump(2) << "\n";
    return ok();
  }
  for (const auto& u : *users) {
    std::cout << u.id << "  " << u.name << (u.is_admin ? "  admin" : "")
              << (u.password_hash.empty() ? "  (no password: cannot log in)" : "") << "\n";
  }
  return ok();
}

Status cmd_user_passwd(app::App& app, const std::string& name, bool password_stdin) {
  auto user = app.store().users().find_by_name(name);
  if (!user) return user.error();
  auto password = read_password(name, password_stdin);
  if (!password) return password.error();
  app::Accounts accounts(app.store());
  HARK_TRY(accounts.set_password(name, *password));
  std::cout << "Changed the password of " << user->name << "; their sessions were logged out\n";
  return ok();
}

Status cmd_user_token(app::App& app, const std::string& name, const std::string& label) {
  app::Accounts accounts(app.store());
  auto created = accounts.create_api_token(name, label);
  if (!created) return created.error();
  std::cerr << "A new API token for " << name << " (shown once; send it as "
            << "\"Authorization: Bearer <token>\"):\n";
  std::cout << created->first << "\n";
  return ok();
}

}  // namespace hark::cli
