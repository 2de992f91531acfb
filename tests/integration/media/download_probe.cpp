// download_probe URL DEST: runs media::download in its own process so that a test can
// SIGKILL it mid-transfer and check what a crash leaves behind. Exits 0 on success and 1
// (with the error on stderr) on failure.
#include <cstdio>

#include "media/download.hpp"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: download_probe URL DEST\n");
    return 2;
  }
  hark::net::Policy policy;
  policy.allow_private_networks = true;  // the test server is on loopback
  const auto http = hark::net::make_http_client(policy);
  const auto result = hark::media::download(*http, argv[1], argv[2], {});
  if (!result) {
    std::fprintf(stderr, "%s\n", result.error().message.c_str());
    return 1;
  }
  return 0;
}
