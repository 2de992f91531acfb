// A library in a real SQLite file with one podcast, two episodes and three snips, for the
// export tests.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "net/http_client.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "store/store.hpp"
#include "temp_dir.hpp"

namespace hark::testing {

struct ExportLibrary {
  TempDir dir;
  std::unique_ptr<store::Store> store;
  Id user = 0;
  Podcast podcast;
  std::vector<Episode> episodes;
  std::vector<store::Snip> snips;  // in the order they were made

  ExportLibrary();
  // A client that may reach loopback test servers.
  static std::unique_ptr<net::HttpClient> loopback_client();
};

}  // namespace hark::testing
