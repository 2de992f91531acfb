#include "cli/exports.hpp"

#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "app/artwork.hpp"
#include "app/clips.hpp"
#include "app/export_config.hpp"
#include "app/exports.hpp"
#include "app/portability.hpp"
#include "app/senders.hpp"
#include "app/server_config.hpp"
#include "app/snips.hpp"
#include "export/links.hpp"
#include "export/markdown.hpp"
#include "export/share.hpp"

namespace hark::cli {
namespace {

Result<std::string> public_url(app::App& app) {
  auto sc = app::load_server_config(app.config());
  if (!sc) return sc.error();
  return sc->public_url;
}

void print_sync(const std::string& service, const app::SyncOutcome& r, const Options& o) {
  if (o.json) {
    std::cout << nlohmann::json{{"created", r.created},
                                {"updated", r.updated},
                                {"unchanged", r.unchanged}}
                     .dump(2)
              << "\n";
    return;
  }
  std::cout << service << ": " << r.created << " new, " << r.updated << " updated, " << r.unchanged
            << " already up to date\n";
}

}  // namespace

Status cmd_export_markdown(app::App& app, const MarkdownFlags& flags, const Options& o) {
  if (flags.print_template) {
    std::cout << exports::kDefaultNoteTemplate;
    return ok();
  }
  auto config = app::load_export_config(app.config());
  if (!config) return config.error();
  auto url = public_url(app);
  if (!url) return url.error();
  app::MarkdownExportOptions options;
  options.out_dir = flags.out.empty() ? config->markdown_folder : std::filesystem::path(flags.out);
  if (options.out_dir.empty())
    return invalid_input(
        "where should the notes go? give --out FOLDER (your Obsidian vault, say) "
        "or set [export.markdown] folder in hark.toml");
  if (!flags.template_file.empty()) {
    options.template_file = flags.template_file;
  } else if (!config->markdown_template.empty()) {
    options.template_file = config->markdown_template;
  }
  options.transcript = flags.transcript;
  options.episode = flags.episode;
  options.public_url = *url;
  auto r = app::export_markdown(app.store(), app.local_user().id, options);
  if (!r) return r.error();
  if (o.json) {
    nlohmann::json files = nlohmann::json::array();
    for (const auto& f : r->files) files.push_back(f.string());
    std::cout << nlohmann::json{{"written", r->written},
                                {"unchanged", r->unchanged},
                                {"files", files}}
                     .dump(2)
              << "\n";
    return ok();
  }
  for (const auto& f : r->files) std::cout << f.string() << "\n";
  std::cout << r->written << " note" << (r->written == 1 ? "" : "s") << " written, " << r->unchanged
            << " already up to date\n";
  return ok();
}

namespace {

// Sends the local user's snips with `send` (app::export_readwise or app::export_notion) and
// prints what happened under `service`'s name.
template <typename Send>
Status run_sender(app::App& app, const Options& o, const char* service, Send send) {
  auto config = app::load_export_config(app.config());
  if (!config) return config.error();
  auto url = public_url(app);
  if (!url) return url.error();
  app::SenderOptions options;
  options.public_url = *url;
  auto r = send(app.store(), app.http(), app.local_user().id, *config, options);
  if (!r) return r.error();
  print_sync(service, *r, o);
  return ok();
}

}  // namespace

Status cmd_export_readwise(app::App& app, const Options& o) {
  return run_sender(app, o, "Readwise", app::export_readwise);
}

Status cmd_export_notion(app::App& app, const Options& o) {
  return run_sender(app, o, "Notion", app::export_notion);
}

Status cmd_export_json(app::App& app, const std::string& out) {
  auto doc = app::export_library_json(app.store(), app.local_user().id);
  if (!doc) return doc.error();
  const std::string text = doc->dump(2) + "\n";
  if (out.empty() || out == "-") {
    std::cout << text;
    return ok();
  }
  const std::filesystem::path path(out);
  std::error_code ec;
  const auto folder = path.parent_path().empty() ? std::filesystem::path(".") : path.parent_path();
  if (!std::filesystem::is_directory(folder, ec))
    return invalid_input("cannot write the backup to " + out + ": the folder " + folder.string() +
                         " does not exist (create it or choose another --out)");
  HARK_TRY(app::write_file_atomically(path, text));
  std::cerr << "Wrote " << out << "\n";
  return ok();
}

Status cmd_import_json(app::App& app, const std::string& file, const Options& o) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return not_found("cannot read " + file);
  const auto doc = nlohmann::json::parse(in, nullptr, false);
  if (doc.is_discarded())
    return invalid_input(file + " is not JSON (is it a hark export json backup?)");
  auto r = app::import_library_json(app.store(), app.local_user().id, doc);
  if (!r) return r.error();
  const auto& m = r->report;
  if (o.json) {
    nlohmann::json j = {{"podcasts", r->podcasts},
                        {"episodes", r->episodes},
                        {"snips", r->snips},
                        {"positions", r->positions},
                        {"merged", r->merged}};
    if (r->merged)
      j["already_there"] = {{"podcasts", m.podcasts_existing},
                            {"episodes", m.episodes_existing},
                            {"snips", m.snips_existing},
                            {"positions", m.positions_kept}};
    if (m.share_links_dropped > 0) j["share_links_dropped"] = m.share_links_dropped;
    std::cout << j.dump(2) << "\n";
  } else if (r->merged) {
    std::cout << "Merged into this library: added " << r->podcasts << " podcasts, " << r->episodes
              << " episodes, " << r->snips << " snips and " << m.subscriptions_added
              << " subscriptions; " << m.positions_updated << " positions updated, "
              << m.positions_added << " added.\nAlready there (skipped): " << m.podcasts_existing
              << " podcasts, " << m.episodes_existing << " episodes, " << m.snips_existing
              << " snips, " << m.positions_kept << " positions as new or newer\n";
    if (m.share_links_dropped > 0)
      std::cout << m.share_links_dropped
                << " snips came without their share link, which another snip here uses\n";
  } else {
    std::cout << "Restored " << r->podcasts << " podcasts, " << r->episodes << " episodes, "
              << r->snips << " snips and " << r->positions << " listening positions\n";
  }
  return ok();
}

Status cmd_share(app::App& app, Id snip_id, const Options& o) {
  auto url = public_url(app);
  if (!url) return url.error();
  // Sharing gives the snip its public page (an unguessable id); sharing again keeps it.
  auto snip = app::SnipService(app.store()).share(app.local_user().id, snip_id);
  if (!snip) return snip.error();
  const bool shared = snip->share_id.has_value();
  const std::string link = shared ? exports::share_url(*url, *snip->share_id)
                                  : exports::player_url(*url, snip->episode_id, snip->start_ms);
  const auto intents = exports::share_intents({snip->title, snip->summary, link});
  if (o.json) {
    std::cout << nlohmann::json{{"snip_id", snip->id},
                                {"link", link},
                                {"shared", shared},
                                {"tweet_text", intents.tweet_text},
                                {"twitter_url", intents.twitter_url},
                                {"whatsapp_text", intents.whatsapp_text},
                                {"whatsapp_url", intents.whatsapp_url}}
                     .dump(2)
              << "\n";
    return ok();
  }
  std::cout << (shared ? "Share page: " : "Player link (not shared yet): ") << link << "\n"
            << "Twitter/X:  " << intents.twitter_url << "\n"
            << "WhatsApp:   " << intents.whatsapp_url << "\n";
  return ok();
}

Status cmd_clip(app::App& app, Id snip_id, const std::string& out, const Options& o) {
  auto url = public_url(app);
  if (!url) return url.error();
  app::ClipOptions options;
  options.out = out;
  options.public_url = *url;
  options.artwork = [&app](const std::string& image,
                           const std::string& feed) -> Result<std::string> {
    auto artwork = app::load_artwork(app.http(), image, feed);
    if (!artwork) return artwork.error();
    return std::move(artwork->bytes);
  };
  options.note = [](const std::string& why) { std::cerr << "warning: " << why << "\n"; };
  HARK_TRY(app::make_clip(app.store(), app.library(), app.local_user().id, snip_id, options));
  if (o.json) {
    std::cout << nlohmann::json{{"snip_id", snip_id}, {"file", out}}.dump(2) << "\n";
  } else {
    std::cout << "Wrote " << out << "\n";
  }
  return ok();
}

}  // namespace hark::cli
