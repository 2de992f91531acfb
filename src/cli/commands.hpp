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

}  // namespace hark::cli
