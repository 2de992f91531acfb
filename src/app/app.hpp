// The composition root: the only place where concrete backends (SQLite store, libcurl
// client) are chosen and wired into the use cases. Front ends (cli/, later server/) open
// an App and call its use cases.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "app/asr_config.hpp"
#include "app/config.hpp"
#include "app/jobs.hpp"
#include "app/library.hpp"
#include "app/pipeline.hpp"
#include "asr/chunked_transcriber.hpp"
#include "net/http_client.hpp"
#include "store/store.hpp"

namespace hark::app {

enum class FrontEnd { Cli, Server };

// Owns everything; destroy it to close the database. Not copyable.
class App {
 public:
  // `asr_url`: one speech-to-text endpoint for this run instead of the configured ones
  // (`--asr URL`; see asr_config.hpp), which also turns auto_transcribe on.
  static Result<std::unique_ptr<App>> open(Config config, FrontEnd front_end,
                                           std::optional<std::string> asr_url = std::nullopt);

  const Config& config() const { return config_; }
  store::Store& store() { return *store_; }
  net::HttpClient& http() { return *http_; }
  Library& library() { return *library_; }
  // The job kinds this front end runs: the episode pipeline (pipeline.hpp).
  const JobRegistry& jobs() const { return jobs_; }
  // Speech-to-text ([asr], HARK_ASR_URL, --asr); transcriber() is nullptr when none is set.
  const AsrConfig& asr_config() const { return asr_config_; }
  asr::ChunkedTranscriber* transcriber() { return transcriber_.get(); }
  // What the pipeline was registered with (speech_to_text() takes it too).
  const PipelineOptions& pipeline_options() const { return pipeline_options_; }
  // The user the CLI acts as (the local admin) until accounts arrive.
  const store::User& local_user() const { return local_user_; }

 private:
  App() = default;
  Config config_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<net::HttpClient> http_;
  std::unique_ptr<Library> library_;
  JobRegistry jobs_;
  AsrConfig asr_config_;
  // Its own client: the configured endpoints may be private hosts, feeds may not.
  std::unique_ptr<net::HttpClient> asr_http_;
  std::unique_ptr<asr::ChunkedTranscriber> transcriber_;
  PipelineOptions pipeline_options_;
  store::User local_user_;
};

}  // namespace hark::app
