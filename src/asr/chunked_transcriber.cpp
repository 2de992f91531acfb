#include "asr/chunked_transcriber.hpp"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <utility>

#include "asr/merge.hpp"
#include "asr/wav.hpp"
#include "core/text.hpp"
#include "core/time.hpp"
#include "media/decode.hpp"

namespace hark::asr {
namespace {

using Clock = std::chrono::steady_clock;
// How often waiting threads look at the cancel token.
constexpr auto kPoll = std::chrono::milliseconds(20);

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// The decoded episode kept as 16-bit PCM in an unnamed temporary file while it is transcribed,
// so that each chunk is read back instead of decoded a second time (≈ 115 MB per hour of
// audio, in the page cache while it is hot). Appended to by the planning thread; read by the
// workers (pread) below what has been written. Any I/O failure turns it off, and chunks are
// then decoded from the file again as before.
class PcmSpill {
 public:
  PcmSpill() : file_(std::tmpfile()) {}
  ~PcmSpill() {
    if (file_ != nullptr) std::fclose(file_);
  }
  PcmSpill(const PcmSpill&) = delete;
  PcmSpill& operator=(const PcmSpill&) = delete;

  void append(std::span<const float> samples) {
    if (file_ == nullptr || failed_.load()) return;
    buffer_.resize(samples.size() * 2);
    for (std::size_t i = 0; i < samples.size(); ++i) {
      const auto v = static_cast<std::uint16_t>(to_pcm16(samples[i]));
      buffer_[2 * i] = static_cast<char>(v & 0xFF);  // little-endian, as WAV wants
      buffer_[2 * i + 1] = static_cast<char>(v >> 8);
    }
    const std::int64_t written = written_.load();
    if (!transfer(true, buffer_.data(), buffer_.size(), written * 2)) {
      failed_ = true;
      return;
    }
    written_.store(written + static_cast<std::int64_t>(samples.size()));
  }

  // A WAV of samples [begin, end), or nullopt when they are not (all) in the file.
  std::optional<std::string> wav(std::int64_t begin, std::int64_t end, int sample_rate) const {
    if (file_ == nullptr || failed_.load() || begin < 0 || end < begin || end > written_.load()) {
      return std::nullopt;
    }
    const auto count = static_cast<std::size_t>(end - begin);
    std::string out = wav_header(count, sample_rate);
    const std::size_t header = out.size();
    out.resize(header + count * 2);
    if (!transfer(false, out.data() + header, count * 2, begin * 2)) return std::nullopt;
    return out;
  }

 private:
  // Writes or reads `size` bytes at `offset`, retrying short transfers.
  bool transfer(bool write, char* data, std::size_t size, std::int64_t offset) const {
    const int fd = fileno(file_);
    while (size > 0) {
      const ssize_t n = write ? ::pwrite(fd, data, size, static_cast<off_t>(offset))
                              : ::pread(fd, data, size, static_cast<off_t>(offset));
      if (n <= 0) return false;
      data += n;
      size -= static_cast<std::size_t>(n);
      offset += n;
    }
    return true;
  }

  std::FILE* file_;
  std::string buffer_;                    // the planning thread's
  std::atomic<std::int64_t> written_{0};  // samples
  std::atomic<bool> failed_{false};
};

struct Task {
  std::size_t index = 0;
  int attempt = 0;  // failed attempts so far
  Clock::time_point not_before{};
};

// The state of one transcribe() call, shared by its workers and the calling thread.
class Run {
 public:
  Run(const AudioInput& audio, const TranscribeOptions& options, const RetryPolicy& retry,
      const std::atomic<bool>& cancel)
      : audio_(audio), options_(options), retry_(retry), cancel_(cancel) {
    if (std::holds_alternative<std::filesystem::path>(audio_.source)) spill_.emplace();
  }

  // Keeps decoded samples (the next ones of the episode) for the chunks to be read back.
  void spill(std::span<const float> samples) {
    if (spill_) spill_->append(samples);
  }

  bool stopping() const { return stop_.load() || cancel_.load(); }
  const std::atomic<bool>* stop_flag() const { return &stop_; }

  void add_chunks(const std::vector<ChunkSpan>& chunks) {
    if (chunks.empty()) return;
    {
      std::lock_guard lock(mutex_);
      for (const ChunkSpan& c : chunks) {
        queue_.push_back({chunks_.size(), 0, Clock::now()});
        chunks_.push_back(c);
        results_.emplace_back();
      }
    }
    changed_.notify_all();
  }

  void planning_done(Millis total_ms) {
    {
      std::lock_guard lock(mutex_);
      planning_done_ = true;
      total_ms_ = total_ms;
    }
    changed_.notify_all();
  }

  void set_total_estimate(Millis total_ms) {
    std::lock_guard lock(mutex_);
    if (!planning_done_) total_ms_ = total_ms;
  }

  // Fails the run with `error` unless it has already failed; stops everything.
  void fail(Error error) {
    {
      std::lock_guard lock(mutex_);
      if (!fatal_) fatal_ = std::move(error);
      stop_ = true;
    }
    changed_.notify_all();
  }

  void stop() {
    stop_ = true;
    changed_.notify_all();
  }

  void work(EndpointClient& client) {
    const std::function<bool()> keep_going = [this] { return !stopping(); };
    for (;;) {
      std::optional<Task> task = next_task();
      if (!task) return;
      if (!client.acquire(keep_going)) return;
      const auto sent = Clock::now();
      double prepare_seconds = 0;
      Attempt attempt = send(client, task->index, prepare_seconds);
      client.release();
      {
        std::lock_guard lock(mutex_);
        ++stats_.requests;
        stats_.request_seconds += seconds_since(sent) - prepare_seconds;
      }
      if (!finish(*task, std::move(attempt))) return;
    }
  }

  // Blocks until every chunk is done, the run failed or the caller cancelled, reporting
  // progress to `progress` on this thread.
  void wait(const ProgressFn& progress) {
    for (;;) {
      report(progress);
      std::unique_lock lock(mutex_);
      if (stopping() || (planning_done_ && done_ == chunks_.size())) return;
      changed_.wait_for(lock, kPoll);
    }
  }

  // Calls `progress` if anything changed since the last report.
  void report(const ProgressFn& progress) {
    Progress p;
    {
      std::lock_guard lock(mutex_);
      p.chunks_done = static_cast<int>(done_);
      p.chunks_total = planning_done_ ? static_cast<int>(chunks_.size()) : 0;
      p.audio_done_ms = audio_done_ms_;
      p.audio_total_ms = total_ms_;
    }
    if (reported_ && p.chunks_done == reported_->chunks_done &&
        p.chunks_total == reported_->chunks_total &&
        p.audio_total_ms == reported_->audio_total_ms) {
      return;
    }
    reported_ = p;
    if (progress) progress(p);
  }

  std::optional<Error> fatal() const {
    std::lock_guard lock(mutex_);
    return fatal_;
  }
  bool empty() const {
    std::lock_guard lock(mutex_);
    return chunks_.empty();
  }

  std::vector<ChunkResult> results() const {
    std::lock_guard lock(mutex_);
    std::vector<ChunkResult> out;
    for (std::size_t i = 0; i < chunks_.size(); ++i) {
      out.push_back({chunks_[i].start_ms(), chunks_[i].duration_ms(),
                     results_[i].value_or(ChunkTranscript{})});
    }
    return out;
  }

  TranscribeStats stats() const {
    std::lock_guard lock(mutex_);
    return stats_;
  }

 private:
  // The next chunk whose backoff has passed; nullopt when the run is over for this worker.
  std::optional<Task> next_task() {
    std::unique_lock lock(mutex_);
    for (;;) {
      if (stopping() || (planning_done_ && done_ == chunks_.size())) return std::nullopt;
      const auto now = Clock::now();
      auto ready = std::find_if(queue_.begin(), queue_.end(),
                                [&](const Task& t) { return t.not_before <= now; });
      if (ready != queue_.end()) {
        Task t = *ready;
        queue_.erase(ready);
        return t;
      }
      auto until = now + kPoll;
      for (const Task& t : queue_) until = std::min(until, t.not_before);
      changed_.wait_until(lock, until);
    }
  }

  // The chunk's audio as WAV, then one request. `prepare_seconds`: the time spent before the
  // request (decoding, encoding).
  Attempt send(EndpointClient& client, std::size_t index, double& prepare_seconds) {
    ChunkSpan span;
    {
      std::lock_guard lock(mutex_);
      span = chunks_[index];
    }
    std::string wav;
    const auto started = Clock::now();
    double decode_seconds = 0;
    if (const auto* pcm = std::get_if<std::span<const float>>(&audio_.source)) {
      wav = encode_wav(pcm->subspan(static_cast<std::size_t>(span.begin),
                                    static_cast<std::size_t>(span.end - span.begin)));
    } else if (auto kept = spill_ ? spill_->wav(span.begin, span.end, kSampleRate) : std::nullopt) {
      wav = std::move(*kept);
      decode_seconds = seconds_since(started);
    } else {
      media::DecodeOptions decode;
      decode.start_ms = span.start_ms();
      decode.end_ms = (span.end * 1000 + kSampleRate - 1) / kSampleRate;
      decode.cancel = &stop_;
      auto audio = media::decode_all(std::get<std::filesystem::path>(audio_.source), decode);
      if (!audio) return {audio.error()};  // not retryable: the file is the problem
      decode_seconds = seconds_since(started);
      wav = encode_wav(audio->samples);
    }
    prepare_seconds = seconds_since(started);
    {
      std::lock_guard lock(mutex_);
      stats_.chunk_decode_seconds += decode_seconds;
      stats_.encode_seconds += prepare_seconds - decode_seconds;
    }
    return client.attempt(wav, options_, [this] { return !stopping(); });
  }

  // Records an attempt's outcome; false when the worker should stop.
  bool finish(const Task& task, Attempt attempt) {
    std::unique_lock lock(mutex_);
    if (attempt.result) {
      results_[task.index] = std::move(*attempt.result);
      ++done_;
      audio_done_ms_ += chunks_[task.index].duration_ms();
      lock.unlock();
      changed_.notify_all();
      return true;
    }
    if (stopping()) return false;  // our own abort, or the caller's
    const Error& error = attempt.result.error();
    const int failures = task.attempt + 1;
    if (attempt.retryable && failures < retry_.max_attempts) {
      Millis backoff = retry_.initial_backoff_ms;
      for (int i = 1; i < failures && backoff < retry_.max_backoff_ms; ++i) backoff *= 2;
      if (attempt.retry_after_ms) backoff = std::max(backoff, *attempt.retry_after_ms);
      backoff = std::min(backoff, retry_.max_backoff_ms);
      queue_.push_back({task.index, failures, Clock::now() + std::chrono::milliseconds(backoff)});
      lock.unlock();
      changed_.notify_all();
      return true;
    }
    Error final = error;
    if (attempt.retryable) {
      const ChunkSpan& c = chunks_[task.index];
      final.message = "the audio from " + format_clock(c.start_ms()) + " to " +
                      format_clock(c.end_ms()) + " failed " + std::to_string(failures) +
                      (failures == 1 ? " time" : " times") + "; the last error: " + error.message;
    }
    if (!fatal_) fatal_ = std::move(final);
    stop_ = true;
    lock.unlock();
    changed_.notify_all();
    return false;
  }

  const AudioInput& audio_;
  const TranscribeOptions& options_;
  const RetryPolicy retry_;
  const std::atomic<bool>& cancel_;
  std::atomic<bool> stop_{false};

  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<ChunkSpan> chunks_;                        // guarded by mutex_
  std::vector<std::optional<ChunkTranscript>> results_;  // guarded by mutex_
  std::deque<Task> queue_;                               // guarded by mutex_
  bool planning_done_ = false;                           // guarded by mutex_
  std::size_t done_ = 0;                                 // guarded by mutex_
  Millis audio_done_ms_ = 0;                             // guarded by mutex_
  Millis total_ms_ = 0;                                  // guarded by mutex_
  std::optional<Error> fatal_;                           // guarded by mutex_
  std::optional<Progress> reported_;                     // the calling thread's
  std::optional<PcmSpill> spill_;                        // for a file
  TranscribeStats stats_;                                // guarded by mutex_
};

// Decodes the file once, planning cuts as the audio streams in.
Status plan_file(Run& run, const std::filesystem::path& path, const ChunkingOptions& chunking,
                 const ProgressFn& progress, const std::atomic<bool>& cancel) {
  ChunkPlanner planner(chunking);
  media::DecodeOptions decode;
  decode.sample_rate = kSampleRate;
  decode.channels = 1;
  decode.cancel = run.stop_flag();
  decode.progress = [&](Millis, std::optional<Millis> duration) {
    if (!duration) return;
    run.set_total_estimate(*duration);
    planner.expect_total(*duration);
  };
  auto report = media::decode(path, decode, [&](std::span<const float> samples) {
    if (cancel.load()) run.stop();
    run.spill(samples);
    planner.add(samples);
    run.add_chunks(planner.take_ready());
    run.report(progress);
  });
  if (!report) return report.error();
  run.add_chunks(planner.finish());
  run.planning_done(planner.samples_seen() * 1000 / kSampleRate);
  return ok();
}

}  // namespace

Result<std::unique_ptr<ChunkedTranscriber>> ChunkedTranscriber::create(
    net::HttpClient& http, std::vector<Endpoint> endpoints, ChunkedOptions options) {
  if (endpoints.empty()) return invalid_input("no speech-to-text endpoint is configured");
  for (const Endpoint& e : endpoints) {
    const std::string url = text::to_lower_ascii(text::trim(e.url));
    if (!url.starts_with("http://") && !url.starts_with("https://")) {
      return invalid_input("the speech-to-text endpoint URL \"" + e.url +
                           "\" is not an http:// or https:// URL");
    }
    if (e.concurrency < 1) {
      return invalid_input("the speech-to-text endpoint " + e.url + " has concurrency " +
                           std::to_string(e.concurrency) + "; it must be at least 1");
    }
  }
  // Chunks are planned for all the workers at once, so none sits idle at the end.
  int slots = 0;
  for (const Endpoint& e : endpoints) slots += e.concurrency;
  options.chunking.parallel = std::max(options.chunking.parallel, slots);
  options.retry.max_attempts = std::max(1, options.retry.max_attempts);
  options.retry.initial_backoff_ms = std::max<Millis>(0, options.retry.initial_backoff_ms);
  options.retry.max_backoff_ms =
      std::max(options.retry.initial_backoff_ms, options.retry.max_backoff_ms);
  return std::unique_ptr<ChunkedTranscriber>(
      new ChunkedTranscriber(http, std::move(endpoints), std::move(options)));
}

ChunkedTranscriber::ChunkedTranscriber(net::HttpClient& http, std::vector<Endpoint> endpoints,
                                       ChunkedOptions options)
    : options_(std::move(options)) {
  for (Endpoint& e : endpoints)
    clients_.push_back(std::make_unique<EndpointClient>(http, std::move(e)));
}

ChunkedTranscriber::~ChunkedTranscriber() = default;

EngineInfo ChunkedTranscriber::engine() const {
  EngineInfo info;
  std::set<std::string> models;
  for (const auto& c : clients_) {
    const std::string kind{to_string(c->endpoint().kind)};
    if (info.kind.empty()) {
      info.kind = kind;
    } else if (info.kind != kind) {
      info.kind = "mixed";
    }
    if (!c->endpoint().model.empty() && models.insert(c->endpoint().model).second) {
      info.model += (info.model.empty() ? "" : ",") + c->endpoint().model;
    }
  }
  return info;
}

std::vector<Endpoint> ChunkedTranscriber::endpoints() const {
  std::vector<Endpoint> out;
  for (const auto& c : clients_) out.push_back(c->endpoint());
  return out;
}

Result<Transcript> ChunkedTranscriber::transcribe(const AudioInput& audio,
                                                  const TranscribeOptions& options,
                                                  const ProgressFn& progress,
                                                  const std::atomic<bool>& cancel) {
  return transcribe(audio, options, progress, cancel, nullptr);
}

Result<Transcript> ChunkedTranscriber::transcribe(const AudioInput& audio,
                                                  const TranscribeOptions& options,
                                                  const ProgressFn& progress,
                                                  const std::atomic<bool>& cancel,
                                                  TranscribeStats* stats) {
  const auto started = Clock::now();
  Run run(audio, options, options_.retry, cancel);
  double plan_seconds = 0;
  double merge_seconds = 0;
  // Fills `stats` however the call is left.
  struct StatsOnExit {
    TranscribeStats* out;
    const Run& run;
    Clock::time_point started;
    const double& plan;
    const double& merge;
    ~StatsOnExit() {
      if (out == nullptr) return;
      *out = run.stats();
      out->total_seconds = seconds_since(started);
      out->plan_seconds = plan;
      out->merge_seconds = merge;
      const auto results = run.results();
      out->chunks = static_cast<int>(results.size());
      out->audio_ms = 0;
      for (const auto& r : results) out->audio_ms += r.duration_ms;
    }
  } stats_on_exit{stats, run, started, plan_seconds, merge_seconds};
  std::vector<std::jthread> workers;
  // Destroyed before `workers`: however this function is left (an exception from thread
  // creation or from `progress` included), the workers are told to stop before being joined.
  struct StopOnExit {
    Run& target;
    ~StopOnExit() { target.stop(); }
  } stop_on_exit{run};
  for (const auto& client : clients_) {
    for (int i = 0; i < client->endpoint().concurrency; ++i) {
      workers.emplace_back([&run, c = client.get()] { run.work(*c); });
    }
  }

  Status planned = ok();
  const auto planning = Clock::now();
  if (const auto* pcm = std::get_if<std::span<const float>>(&audio.source)) {
    run.add_chunks(plan_chunks(*pcm, options_.chunking));
    run.planning_done(static_cast<Millis>(pcm->size()) * 1000 / kSampleRate);
  } else {
    planned = plan_file(run, std::get<std::filesystem::path>(audio.source), options_.chunking,
                        progress, cancel);
  }
  plan_seconds = seconds_since(planning);
  if (planned && run.empty()) planned = invalid_input("there is no audio to transcribe");
  if (!planned && !cancel.load()) run.fail(planned.error());
  run.wait(progress);
  run.stop();
  workers.clear();  // joins; in-flight requests see the stop and abort

  if (cancel.load()) return cancelled("the transcription was cancelled");
  if (auto fatal = run.fatal()) return *fatal;
  const auto merging = Clock::now();
  Transcript transcript = merge_chunks(run.results());
  merge_seconds = seconds_since(merging);
  transcript.source = "asr:" + engine().kind;
  if (transcript.language.empty() && options.language != "auto") {
    transcript.language = language_code(options.language);
  }
  return transcript;
}

}  // namespace hark::asr
