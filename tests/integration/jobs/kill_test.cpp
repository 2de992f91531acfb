// The crash test: a worker process is killed with SIGKILL in the middle of a job that
// writes a transcript in steps; a restarted worker takes the job over once the dead one's
// lease expires, and the pipeline ends complete, without duplicated segments or
// chapters, in an intact database.
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "jobs_fixture.hpp"

extern char** environ;

namespace hark::app::testing {
namespace {

constexpr const char* kLeaseMs = "300";
constexpr const char* kPauseMs = "150";

class KillTest : public JobsTest {
 protected:
  pid_t spawn_probe(Id job_id) {
    const std::string db = db_path().string();
    const std::string job = std::to_string(job_id);
    std::vector<std::string> args = {HARK_JOB_PROBE, db, job, kLeaseMs, kPauseMs};
    std::vector<char*> argv;
    for (auto& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    pid_t pid = 0;
    const int rc = ::posix_spawn(&pid, HARK_JOB_PROBE, nullptr, nullptr, argv.data(), environ);
    EXPECT_EQ(rc, 0) << "cannot start " << HARK_JOB_PROBE;
    return rc == 0 ? pid : -1;
  }

  // The probe's wait status, or nullopt if it is still running after `limit`.
  static std::optional<int> wait_for_exit(pid_t pid, std::chrono::seconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline) {
      int status = 0;
      if (::waitpid(pid, &status, WNOHANG) == pid) return status;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return std::nullopt;
  }

  // Waits until the job is running and past its first transcript step.
  bool wait_until_mid_job(Id job_id) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < deadline) {
      const auto job = find(job_id);
      if (job.state == store::JobState::Running && job.progress > 0) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return false;
  }
};

TEST_F(KillTest, SigkillMidJobThenRestartCompletesWithoutDuplicates) {
  const Id episode = add_episode();
  const auto job = enqueue(episode_job(probe::kTranscriptKind, episode));

  const pid_t first = spawn_probe(job.id);
  ASSERT_GT(first, 0);
  const bool mid_job = wait_until_mid_job(job.id);
  ::kill(first, SIGKILL);
  const auto killed = wait_for_exit(first, std::chrono::seconds(5));
  ASSERT_TRUE(mid_job) << "the probe never got going";
  ASSERT_TRUE(killed && WIFSIGNALED(*killed) && WTERMSIG(*killed) == SIGKILL);

  // Killed mid-job: leased by a dead owner, transcript partly written.
  const auto orphaned = find(job.id);
  EXPECT_EQ(orphaned.state, store::JobState::Running);
  EXPECT_EQ(orphaned.attempts, 1);
  auto partial = store_->transcripts().info(episode);
  ASSERT_TRUE(partial && partial->has_value());
  EXPECT_LT((*partial)->segment_count, probe::kSegments);

  const pid_t second = spawn_probe(job.id);
  ASSERT_GT(second, 0);
  const auto finished = wait_for_exit(second, std::chrono::seconds(25));
  if (!finished) {
    ::kill(second, SIGKILL);
    ::waitpid(second, nullptr, 0);
  }
  ASSERT_TRUE(finished) << "the restarted probe did not finish";
  ASSERT_TRUE(WIFEXITED(*finished));
  EXPECT_EQ(WEXITSTATUS(*finished), 0);

  const auto done = find(job.id);
  EXPECT_EQ(done.state, store::JobState::Done);
  EXPECT_EQ(done.attempts, 2);  // the killed run, then the one that finished
  auto transcript = store_->transcripts().find(episode);
  ASSERT_TRUE(transcript && transcript->has_value());
  EXPECT_EQ((*transcript)->segments.size(), static_cast<std::size_t>(probe::kSegments));
  EXPECT_EQ(**transcript, probe::transcript(probe::kSegments));
  auto chapters = store_->chapters().list(episode);
  ASSERT_TRUE(chapters);
  EXPECT_EQ(chapters->size(), static_cast<std::size_t>(probe::kChapters));
  EXPECT_EQ(*chapters, probe::chapters(probe::kChapters));
  auto all_jobs = store_->jobs().list(-1);
  ASSERT_TRUE(all_jobs);
  EXPECT_EQ(all_jobs->size(), 2u);  // the transcript job and the one chapters job it chained
  auto integrity = store_->integrity_check();
  ASSERT_TRUE(integrity);
  EXPECT_EQ(*integrity, "ok");
}

}  // namespace
}  // namespace hark::app::testing
