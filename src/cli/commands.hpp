// The CLI's commands. Each returns the process exit code and prints its own output;
// errors are printed as one line on stderr by the caller (see main.cpp).
#pragma once

#include <optional>
#include <string>

#include "app/app.hpp"

namespace hark::cli {

struct Options {
  bool json = false;
};

Status cmd_add(app::App& app, const std::string& url_or_path, const Options& o);
Status cmd_import(app::App& app, const std::string& opml_path, const Options& o);
Status cmd_export_opml(app::App& app, const std::string& out_path);
Status cmd_refresh(app::App& app, std::optional<Id> podcast_id, const Options& o);
Status cmd_podcasts(app::App& app, const Options& o);
Status cmd_episodes(app::App& app, std::optional<Id> podcast_id, int limit, const Options& o);
Status cmd_download(app::App& app, Id episode_id, const Options& o);

// Which episodes `hark process` works on: one episode, one podcast's, or all.
struct EpisodeSelection {
  std::optional<Id> episode;
  std::optional<Id> podcast;
  bool all = false;
};

// Enqueues the episode pipeline (app/pipeline.hpp) for the selected episodes and runs the
// job queue in the foreground until it is idle; prints what each episode now has. An error
// when nothing is selected or any job failed for good.
Status cmd_process(app::App& app, const EpisodeSelection& selection, const Options& o);
// The job queue, newest first.
Status cmd_jobs(app::App& app, const Options& o);
// Prints the episode's stored transcript as vtt, srt, json (Podcasting 2.0) or txt.
Status cmd_transcript(app::App& app, Id episode_id, const std::string& format);
// Prints the episode's stored chapters.
Status cmd_chapters(app::App& app, Id episode_id, const Options& o);

// `hark serve`: flags override [server] in hark.toml and the environment.
struct ServeFlags {
  std::optional<std::string> listen;
  std::optional<int> workers;
  std::optional<std::string> web_dir;
};
// Opens the library as the server front end (private networks refused unless configured)
// and serves until SIGINT/SIGTERM.
Status cmd_serve(app::Config config, const ServeFlags& flags);

// `hark user ...`. Passwords come from the terminal (not echoed, asked twice) or, with
// `password_stdin`, from the first line of standard input.
Status cmd_user_add(app::App& app, const std::string& name, bool admin, bool password_stdin);
Status cmd_user_list(app::App& app, const Options& o);
Status cmd_user_passwd(app::App& app, const std::string& name, bool password_stdin);
// Prints a new personal API token once (only its hash is kept).
Status cmd_user_token(app::App& app, const std::string& name, const std::string& label);

}  // namespace hark::cli
