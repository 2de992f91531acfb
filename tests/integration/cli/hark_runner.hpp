// Runs the `hark` binary built in this tree, as a user would from a shell.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <vector>

namespace hark::testing {

struct HarkRun {
  int exit_code = -1;  // -1: killed by a signal or could not start
  std::string out;
  std::string err;
};

// Runs `hark --data <data> args...` to completion. Its stdout and stderr go through files in
// `data` (no pipe deadlocks) and come back in the result.
HarkRun run_hark(const std::filesystem::path& data, const std::vector<std::string>& args);

// Starts `hark --data <data> args...` without waiting; output goes to `data`/bg-*.txt.
// Returns the pid, or -1.
pid_t spawn_hark(const std::filesystem::path& data, const std::vector<std::string>& args);

}  // namespace hark::testing
