#include "app/app.hpp"

#include "app/pipeline.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace hark::app {

Result<std::unique_ptr<App>> App::open(Config config, FrontEnd front_end) {
  std::error_code ec;
  std::filesystem::create_directories(config.data_dir, ec);
  if (ec)
    return invalid_input("cannot create the data directory " + config.data_dir.string() + ": " +
                         ec.message() + " (choose another with --data or HARK_DATA)");
  std::unique_ptr<App> app(new App());
  auto store = store::sqlite::open(config.database_path());
  if (!store) return store.error();
  app->store_ = std::move(*store);
  const bool local_admin = front_end == FrontEnd::Cli;
  app->http_ = net::make_http_client(make_policy(config, local_admin));
  LibraryOptions options;
  options.media_dir = config.media_dir();
  options.refresh_concurrency = config.refresh_concurrency;
  options.refresh_per_host = config.refresh_per_host;
  options.allow_local_files = local_admin;
  app->library_ = std::make_unique<Library>(*app->store_, *app->http_, options);
  register_pipeline(app->jobs_, *app->store_, *app->http_);
  auto user = app->store_->users().default_user();
  if (!user) return user.error();
  app->local_user_ = *user;
  app->config_ = std::move(config);
  return app;
}

}  // namespace hark::app
