// hark's command line. CLI11 lives in this one translation unit only (it is heavy); the
// commands themselves are in commands.cpp.
#include <CLI/CLI.hpp>
#include <iostream>

#include "app/app.hpp"
#include "cli/commands.hpp"
#include "cli/exports.hpp"
#include "cli/search.hpp"
#include "cli/snips.hpp"
#include "cli/transcribe.hpp"

namespace {

using hark::Id;

int report(const hark::Status& s) {
  if (s) return 0;
  std::cerr << "hark: " << s.error().message << "\n";
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App cli{"hark — a self-hosted podcast player that keeps the moments worth keeping"};
  cli.require_subcommand(1);
  cli.set_version_flag("--version", "hark 0.1.0");
  std::string data_dir, config_file;
  cli.add_option("--data", data_dir,
                 "Data directory (default: $HARK_DATA, else $XDG_DATA_HOME/hark)");
  cli.add_option("--config", config_file,
                 "Configuration file (default: $HARK_CONFIG, else <data>/hark.toml)");

  hark::cli::Options o;
  auto json_flag = [&](CLI::App* sub) {
    sub->add_flag("--json", o.json, "Print JSON for scripts");
  };

  std::string url, path, out_path;
  std::optional<Id> podcast_id;
  Id episode_id = 0;
  int limit = -1;

  auto* add = cli.add_subcommand("add", "Subscribe to a podcast by feed URL or file");
  add->add_option("url", url, "Feed URL, or a path to a feed file")->required();
  json_flag(add);

  auto* import = cli.add_subcommand("import", "Subscribe to every feed in an OPML file");
  import->add_option("opml", path, "OPML file")->check(CLI::ExistingFile);
  json_flag(import);
  std::string backup_path;
  auto* import_json = import->add_subcommand(
      "json", "Restore a backup made by `hark export json` (into an empty --data)");
  import_json->add_option("file", backup_path, "The backup file")
      ->required()
      ->check(CLI::ExistingFile);

  auto* export_opml = cli.add_subcommand("export-opml", "Write your subscriptions as OPML");
  export_opml->add_option("-o,--out", out_path, "Output file (default: standard output)");

  auto* refresh = cli.add_subcommand("refresh", "Fetch new episodes (all podcasts, or one)");
  refresh->add_option("podcast", podcast_id, "Podcast id");
  json_flag(refresh);

  auto* podcasts = cli.add_subcommand("podcasts", "List your podcasts");
  json_flag(podcasts);

  auto* episodes = cli.add_subcommand("episodes", "List episodes, newest first");
  episodes->add_option("podcast", podcast_id, "Only this podcast's episodes");
  episodes->add_option("-n,--limit", limit, "At most this many");
  json_flag(episodes);

  auto* download = cli.add_subcommand("download", "Download an episode's audio");
  download->add_option("episode", episode_id, "Episode id")->required();
  json_flag(download);

  hark::cli::EpisodeSelection selection;
  auto* process =
      cli.add_subcommand("process", "Fetch transcripts and chapters (the episode pipeline)");
  process->add_option("episode", selection.episode, "Episode id");
  process->add_option("--podcast", selection.podcast, "Every episode of this podcast");
  process->add_flag("--all", selection.all, "Every episode");
  std::string asr_url;
  process->add_option("--asr", asr_url,
                      "Speech-to-text service URL for this run (OpenAI-compatible)");
  json_flag(process);

  hark::cli::TranscribeRequest transcribe_request;
  auto* transcribe = cli.add_subcommand("transcribe", "Speech-to-text for an episode now");
  transcribe->add_option("episode", transcribe_request.episode, "Episode id")->required();
  transcribe->add_flag("--force", transcribe_request.force,
                       "Even when it has a publisher transcript (compare the two)");
  transcribe->add_flag("--replace", transcribe_request.replace,
                       "Store the result even over a publisher transcript");
  transcribe->add_option("--compare", transcribe_request.compare_file,
                         "Text file to measure the word error rate against");
  transcribe->add_option("--asr", asr_url, "Speech-to-text service URL for this run");
  json_flag(transcribe);

  auto* jobs = cli.add_subcommand("jobs", "List background jobs, newest first");
  json_flag(jobs);

  std::string transcript_format = "txt";
  auto* transcript = cli.add_subcommand("transcript", "Print an episode's transcript");
  transcript->add_option("episode", episode_id, "Episode id")->required();
  transcript->add_option("-f,--format", transcript_format, "vtt, srt, json or txt (default: txt)")
      ->check(CLI::IsMember({"vtt", "srt", "json", "txt", "text"}));

  auto* chapters = cli.add_subcommand("chapters", "List an episode's chapters");
  chapters->add_option("episode", episode_id, "Episode id")->required();
  json_flag(chapters);

  hark::cli::SnipRequest snip_request;
  auto* snip = cli.add_subcommand("snip", "Save the moment at a time (or a selection) as a snip");
  snip->add_option("episode", snip_request.episode, "Episode id")->required();
  snip->add_option("--at", snip_request.at, "Where you tapped: seconds, mm:ss or h:mm:ss");
  snip->add_option("--from", snip_request.from, "Start of a selection");
  snip->add_option("--to", snip_request.to, "End of a selection");
  snip->add_option("--llm", snip_request.llm_url,
                   "Language model API base URL for this snip (OpenAI-compatible)");
  json_flag(snip);

  std::optional<Id> snips_episode;
  auto* snips = cli.add_subcommand("snips", "List your snips, newest first");
  snips->add_option("--episode", snips_episode, "Only this episode's snips");
  json_flag(snips);

  auto* highlights = cli.add_subcommand("highlights", "An episode's best moments");
  highlights->add_option("episode", episode_id, "Episode id")->required();
  json_flag(highlights);

  auto* summary = cli.add_subcommand("summary", "An episode's summary and takeaways");
  summary->add_option("episode", episode_id, "Episode id")->required();
  json_flag(summary);

  hark::cli::SearchFlags search_flags;
  auto* search = cli.add_subcommand("search", "Search transcripts, snips and show notes");
  search
      ->add_option("query", search_flags.query,
                   "Words, \"exact phrases\", prefix* and -excluded words")
      ->required();
  search->add_option("--mode", search_flags.mode, "lexical, semantic or hybrid (default)")
      ->check(CLI::IsMember({"lexical", "semantic", "hybrid"}));
  search->add_option("--podcast", search_flags.podcast, "Only this podcast's episodes");
  search->add_option("--since", search_flags.since, "Only episodes published since (YYYY-MM-DD)");
  search->add_option("--speaker", search_flags.speaker, "Only passages this speaker says");
  search->add_option("-n,--limit", search_flags.limit, "At most this many results (default: 20)");
  json_flag(search);

  Id similar_snip = 0;
  int similar_limit = 10;
  auto* similar =
      cli.add_subcommand("similar", "Moments like one of your snips, in other episodes");
  similar->add_option("snip", similar_snip, "Snip id")->required();
  similar->add_option("-n,--limit", similar_limit, "At most this many (default: 10)");
  json_flag(similar);

  auto* reindex = cli.add_subcommand("reindex", "Rebuild the search index of every episode");
  json_flag(reindex);

  hark::cli::MarkdownFlags markdown_flags;
  auto* exp = cli.add_subcommand("export", "Send your snips to notes apps and services");
  exp->require_subcommand(1);
  auto* exp_markdown =
      exp->add_subcommand("markdown", "One Markdown note per episode (an Obsidian vault, say)");
  exp_markdown->add_option("-o,--out", markdown_flags.out,
                           "Folder for the notes (default: [export.markdown] folder)");
  exp_markdown->add_option("--template", markdown_flags.template_file,
                           "Note template (see --print-template)");
  exp_markdown->add_flag("--transcript", markdown_flags.transcript, "Add the full transcript");
  exp_markdown->add_option("--episode", markdown_flags.episode, "Only this episode's note");
  exp_markdown->add_flag("--print-template", markdown_flags.print_template,
                         "Print the built-in note template (to edit a copy)");
  json_flag(exp_markdown);
  std::string backup_out;
  auto* exp_json = exp->add_subcommand("json", "Back up your podcasts, positions, snips and notes");
  exp_json->add_option("-o,--out", backup_out, "Output file (default: standard output)");
  auto* exp_readwise = exp->add_subcommand("readwise", "Send snips to Readwise as highlights");
  json_flag(exp_readwise);
  auto* exp_notion = exp->add_subcommand("notion", "Send snips to a Notion database");
  json_flag(exp_notion);

  Id snip_id = 0;
  auto* share = cli.add_subcommand("share", "A snip's share link and Twitter/X and WhatsApp links");
  share->add_option("snip", snip_id, "Snip id")->required();
  json_flag(share);
  std::string clip_out;
  auto* clip = cli.add_subcommand("clip", "Save a snip's audio as a file with fades and tags");
  clip->add_option("snip", snip_id, "Snip id")->required();
  clip->add_option("-o,--out", clip_out, "Output file: .mp3 or .m4a")->required();
  json_flag(clip);

  hark::cli::ServeFlags serve_flags;
  auto* serve = cli.add_subcommand("serve", "Run the web player and API server");
  serve->add_option("--listen", serve_flags.listen, "Address and port (default: 127.0.0.1:8080)");
  serve->add_option("--workers", serve_flags.workers, "Background job threads (default: 2)")
      ->check(CLI::Range(1, 64));
  serve->add_option("--web-dir", serve_flags.web_dir, "The web player's files");

  std::string user_name, token_label;
  bool admin = false, password_stdin = false;
  auto* user = cli.add_subcommand("user", "Manage accounts for the web player");
  user->require_subcommand(1);
  auto* user_add = user->add_subcommand("add", "Add a user (asks for a password)");
  user_add->add_option("name", user_name, "User name")->required();
  user_add->add_flag("--admin", admin, "Make the user an administrator");
  user_add->add_flag("--password-stdin", password_stdin, "Read the password from standard input");
  auto* user_list = user->add_subcommand("list", "List users");
  json_flag(user_list);
  auto* user_passwd = user->add_subcommand("passwd", "Change a user's password");
  user_passwd->add_option("name", user_name, "User name")->required();
  user_passwd->add_flag("--password-stdin", password_stdin,
                        "Read the password from standard input");
  auto* user_token = user->add_subcommand("token", "Create a personal API token (printed once)");
  user_token->add_option("name", user_name, "User name")->required();
  user_token->add_option("--name", token_label, "A label for the token");

  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return cli.exit(e);
  }

  hark::app::ConfigSources sources;
  if (!data_dir.empty()) sources.data_dir_flag = data_dir;
  if (!config_file.empty()) sources.config_file_flag = config_file;
  auto config = hark::app::load_config(sources);
  if (!config) return report(config.error());
  namespace c = hark::cli;
  // The server opens the library itself, as the server front end.
  if (serve->parsed()) return report(c::cmd_serve(std::move(*config), serve_flags));
  std::optional<std::string> asr_override;
  if (!asr_url.empty()) asr_override = asr_url;
  auto app = hark::app::App::open(std::move(*config), hark::app::FrontEnd::Cli, asr_override);
  if (!app) return report(app.error());
  auto& a = **app;

  if (add->parsed()) return report(c::cmd_add(a, url, o));
  if (import_json->parsed()) return report(c::cmd_import_json(a, backup_path, o));
  if (import->parsed()) {
    if (path.empty())
      return report(hark::invalid_input(
          "give an OPML file (hark import FEEDS.opml) or a backup (hark import json FILE)"));
    return report(c::cmd_import(a, path, o));
  }
  if (export_opml->parsed()) return report(c::cmd_export_opml(a, out_path));
  if (refresh->parsed()) return report(c::cmd_refresh(a, podcast_id, o));
  if (podcasts->parsed()) return report(c::cmd_podcasts(a, o));
  if (episodes->parsed()) return report(c::cmd_episodes(a, podcast_id, limit, o));
  if (download->parsed()) return report(c::cmd_download(a, episode_id, o));
  if (process->parsed()) return report(c::cmd_process(a, selection, o));
  if (transcribe->parsed()) return report(c::cmd_transcribe(a, transcribe_request, o));
  if (jobs->parsed()) return report(c::cmd_jobs(a, o));
  if (transcript->parsed()) return report(c::cmd_transcript(a, episode_id, transcript_format));
  if (chapters->parsed()) return report(c::cmd_chapters(a, episode_id, o));
  if (snip->parsed()) return report(c::cmd_snip(a, snip_request, o));
  if (snips->parsed()) return report(c::cmd_snips(a, snips_episode, o));
  if (highlights->parsed()) return report(c::cmd_highlights(a, episode_id, o));
  if (summary->parsed()) return report(c::cmd_summary(a, episode_id, o));
  if (search->parsed()) return report(c::cmd_search(a, search_flags, o));
  if (similar->parsed()) return report(c::cmd_similar(a, similar_snip, similar_limit, o));
  if (reindex->parsed()) return report(c::cmd_reindex(a, o));
  if (exp_markdown->parsed()) return report(c::cmd_export_markdown(a, markdown_flags, o));
  if (exp_json->parsed()) return report(c::cmd_export_json(a, backup_out));
  if (exp_readwise->parsed()) return report(c::cmd_export_readwise(a, o));
  if (exp_notion->parsed()) return report(c::cmd_export_notion(a, o));
  if (share->parsed()) return report(c::cmd_share(a, snip_id, o));
  if (clip->parsed()) return report(c::cmd_clip(a, snip_id, clip_out, o));
  if (user_add->parsed()) return report(c::cmd_user_add(a, user_name, admin, password_stdin));
  if (user_list->parsed()) return report(c::cmd_user_list(a, o));
  if (user_passwd->parsed()) return report(c::cmd_user_passwd(a, user_name, password_stdin));
  if (user_token->parsed()) return report(c::cmd_user_token(a, user_name, token_label));
  return 2;
}
