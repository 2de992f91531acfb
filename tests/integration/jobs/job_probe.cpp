// A worker process for the crash test (kill_test.cpp): opens the store at argv[1],
// registers the probe's two job kinds (see probe_plan.hpp) and runs jobs until job
// argv[2] and the chapters job it chains to are finished, with a lease of argv[3] ms and
// a pause of argv[4] ms after each transcript step. Exits 0 when the chain is done, 1
// when a job failed or the store misbehaved, 2 on bad arguments, 3 after 20 s.
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>

#include "app/jobs.hpp"
#include "app/worker.hpp"
#include "probe_plan.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace {

using namespace hark;
using Jobs = std::vector<store::Job>;

// Grows the transcript in steps, replacing it each time: a re-run after a crash starts
// over and still ends with exactly probe::kSegments segments.
app::JobHandler transcript_step(store::Store& store, std::chrono::milliseconds pause) {
  return [&store, pause](app::JobContext& context) -> Result<Jobs> {
    auto episode = app::episode_id_of(context.job);
    if (!episode) return episode.error();
    for (int step = 1; step <= app::probe::kTranscriptSteps; ++step) {
      const int count = app::probe::kSegments * step / app::probe::kTranscriptSteps;
      HARK_TRY(store.transcripts().replace(*episode, app::probe::transcript(count)));
      HARK_TRY(context.report(static_cast<double>(step) / app::probe::kTranscriptSteps,
                              "step " + std::to_string(step)));
      std::this_thread::sleep_for(pause);
    }
    return Jobs{app::episode_job(app::probe::kChaptersKind, *episode)};
  };
}

app::JobHandler chapters_step(store::Store& store) {
  return [&store](app::JobContext& context) -> Result<Jobs> {
    auto episode = app::episode_id_of(context.job);
    if (!episode) return episode.error();
    HARK_TRY(store.chapters().replace(*episode, app::probe::chapters(app::probe::kChapters / 2)));
    HARK_TRY(context.report(0.5, "half the chapters"));
    HARK_TRY(store.chapters().replace(*episode, app::probe::chapters(app::probe::kChapters)));
    return Jobs{};
  };
}

// 0 when every job of the chain is done, 1 when one failed, -1 while work remains.
int chain_state(store::Store& store, Id transcript_job) {
  auto first = store.jobs().find(transcript_job);
  if (!first) return 1;
  if (first->state == store::JobState::Failed) return 1;
  if (first->state != store::JobState::Done) return -1;
  auto all = store.jobs().list(-1);
  if (!all) return 1;
  for (const auto& job : *all) {
    if (job.kind != app::probe::kChaptersKind) continue;
    if (job.state == store::JobState::Failed) return 1;
    return job.state == store::JobState::Done ? 0 : -1;
  }
  return -1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 5) {
    std::fprintf(stderr, "usage: job_probe DB JOB_ID LEASE_MS PAUSE_MS\n");
    return 2;
  }
  auto store = store::sqlite::open(argv[1]);
  if (!store) {
    std::fprintf(stderr, "job_probe: %s\n", store.error().message.c_str());
    return 1;
  }
  const Id job_id = std::stoll(argv[2]);
  app::JobRegistry registry;
  registry.add(app::probe::kTranscriptKind,
               transcript_step(**store, std::chrono::milliseconds(std::stoll(argv[4]))));
  registry.add(app::probe::kChaptersKind, chapters_step(**store));
  app::WorkerOptions options;
  options.lease_ms = std::stoll(argv[3]);
  options.progress_interval_ms = 0;
  app::Worker worker((*store)->jobs(), registry, options);

  // run_until_idle returns while a dead worker's lease is still running out, so keep
  // looking until the chain has finished.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    auto ran = worker.run_until_idle();
    if (!ran) {
      std::fprintf(stderr, "job_probe: %s\n", ran.error().message.c_str());
      return 1;
    }
    if (const int state = chain_state(**store, job_id); state >= 0) return state;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return 3;
}
