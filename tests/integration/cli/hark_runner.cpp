#include "hark_runner.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace hark::testing {
namespace {

std::string slurp(const std::filesystem::path& path) {
  std::string s;
  const int fd = ::open(path.c_str(), O_RDONLY);
  if (fd < 0) return s;
  char buf[65536];
  ssize_t n;
  while ((n = ::read(fd, buf, sizeof buf)) > 0) s.append(buf, static_cast<std::size_t>(n));
  ::close(fd);
  return s;
}

pid_t spawn(const std::filesystem::path& data, const std::vector<std::string>& args,
            const std::filesystem::path& out, const std::filesystem::path& err) {
  std::vector<std::string> argv_s = {HARK_BINARY_DIR "/hark", "--data", data.string()};
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_s) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&fa, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, argv[0], &fa, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  return rc == 0 ? pid : -1;
}

}  // namespace

HarkRun run_hark(const std::filesystem::path& data, const std::vector<std::string>& args) {
  const auto out = data / "stdout.txt", err = data / "stderr.txt";
  HarkRun r;
  const pid_t pid = spawn(data, args, out, err);
  if (pid < 0) return r;
  int status = 0;
  ::waitpid(pid, &status, 0);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = slurp(out);
  r.err = slurp(err);
  return r;
}

pid_t spawn_hark(const std::filesystem::path& data, const std::vector<std::string>& args) {
  return spawn(data, args, data / "bg-stdout.txt", data / "bg-stderr.txt");
}

}  // namespace hark::testing
