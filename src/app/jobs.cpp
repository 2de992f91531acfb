#include "app/jobs.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace hark::app {

void JobRegistry::add(std::string kind, JobHandler handler) {
  if (kind.empty()) throw std::logic_error("a job kind needs a name");
  if (!handler) throw std::logic_error("job kind '" + kind + "' needs a handler");
  const auto [it, added] = handlers_.emplace(std::move(kind), std::move(handler));
  if (!added) throw std::logic_error("job kind '" + it->first + "' is registered twice");
}

const JobHandler* JobRegistry::find(std::string_view kind) const {
  const auto it = handlers_.find(kind);
  return it == handlers_.end() ? nullptr : &it->second;
}

std::vector<std::string> JobRegistry::kinds() const {
  std::vector<std::string> kinds;
  kinds.reserve(handlers_.size());
  for (const auto& [kind, handler] : handlers_) kinds.push_back(kind);
  return kinds;
}

store::Job episode_job(std::string kind, Id episode_id) {
  store::Job job;
  job.dedupe_key = kind + ":" + std::to_string(episode_id);
  job.kind = std::move(kind);
  job.payload = nlohmann::json{{"episode_id", episode_id}}.dump();
  return job;
}

Result<Id> episode_id_of(const store::Job& job) {
  const auto payload = nlohmann::json::parse(job.payload, nullptr, /*allow_exceptions=*/false);
  const auto it = payload.is_object() ? payload.find("episode_id") : payload.end();
  if (it == payload.end() || !it->is_number_integer()) {
    return invalid_input("the payload of " + job.kind + " job " + std::to_string(job.id) +
                         " names no episode_id: " + job.payload);
  }
  return it->get<Id>();
}

Millis backoff_delay(const RetryPolicy& policy, int attempt, double unit) {
  // Doubling stops at the cap; counting the doublings up to it also avoids overflow.
  Millis delay = std::max<Millis>(policy.base_ms, 0);
  for (int i = 1; i < attempt && delay < policy.cap_ms; ++i) delay *= 2;
  delay = std::min(delay, policy.cap_ms);
  const double taken_off = std::clamp(policy.jitter, 0.0, 1.0) * std::clamp(unit, 0.0, 1.0);
  return delay - static_cast<Millis>(static_cast<double>(delay) * taken_off);
}

}  // namespace hark::app
