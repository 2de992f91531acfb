// The composition root: the only place where concrete backends (SQLite store, libcurl
// client) are chosen and wired into the use cases. Front ends (cli/, later server/) open
// an App and call its use cases.
#pragma once

#include <memory>

#include "app/config.hpp"
#include "app/jobs.hpp"
#include "app/library.hpp"
#include "net/http_client.hpp"
#include "store/store.hpp"

namespace hark::app {

enum class FrontEnd { Cli, Server };

// Owns everything; destroy it to close the database. Not copyable.
class App {
 public:
  static Result<std::unique_ptr<App>> open(Config config, FrontEnd front_end);

  const Config& config() const { return config_; }
  store::Store& store() { return *store_; }
  net::HttpClient& http() { return *http_; }
  Library& library() { return *library_; }
  // The job kinds this front end runs: the episode pipeline (pipeline.hpp).
  const JobRegistry& jobs() const { return jobs_; }
  // The user the CLI acts as (the local admin) until accounts arrive.
  const store::User& local_user() const { return local_user_; }

 private:
  App() = default;
  Config config_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<net::HttpClient> http_;
  std::unique_ptr<Library> library_;
  JobRegistry jobs_;
  store::User local_user_;
};

}  // namespace hark::app
