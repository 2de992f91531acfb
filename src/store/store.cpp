#include "store/store.hpp"

namespace hark::store {

EpisodeCursor cursor_of(const Episode& episode) {
  return {episode.published_at, episode.id};
}

// These spellings are also the values of the jobs.state column.
std::string_view to_string(JobState s) {
  switch (s) {
    case JobState::Queued:
      return "queued";
    case JobState::Running:
      return "running";
    case JobState::Done:
      return "done";
    case JobState::Failed:
      return "failed";
  }
  return "failed";
}

std::optional<JobState> parse_job_state(std::string_view text) {
  for (auto s : {JobState::Queued, JobState::Running, JobState::Done, JobState::Failed}) {
    if (to_string(s) == text) return s;
  }
  return std::nullopt;
}

}  // namespace hark::store
