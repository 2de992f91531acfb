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
#include "app/llm_config.hpp"
#include "app/pipeline.hpp"
#include "app/search.hpp"
#include "app/search_config.hpp"
#include "app/snips.hpp"
#include "asr/chunked_transcriber.hpp"
#include "llm/openai_chat.hpp"
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
  // The language model ([llm], HARK_LLM_*); chat_model() is nullptr when none is set.
  const LlmConfig& llm_config() const { return llm_config_; }
  llm::ChatModel* chat_model() { return chat_model_.get(); }
  // Points the language model at `url` for this run (`hark snip --llm URL`). Snips made
  // afterwards by a SnipService from snip_writing() use it; jobs registered at open() keep
  // the configured one. InvalidInput for a bad URL or no model name.
  Status use_llm(const std::string& url, std::string_view source = "--llm");
  // How snips use the model: none when [llm] is unset or `snips = false`. `background`: the
  // web player's way (store at once, `snip_llm` job rewrites; see SnipWriting).
  SnipWriting snip_writing(bool background) const;
  // What the pipeline was registered with (speech_to_text() takes it too).
  const PipelineOptions& pipeline_options() const { return pipeline_options_; }
  // Search (lexical, semantic with [embeddings], hybrid) and the index step's indexer.
  SearchService& search() { return *search_; }
  const SearchConfig& search_config() const { return search_config_; }
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
  LlmConfig llm_config_;
  std::unique_ptr<net::HttpClient> llm_http_;  // its own client, like asr_http_
  std::unique_ptr<llm::OpenAiChat> chat_model_;
  // The model jobs use: the configured one, kept when use_llm() replaces chat_model_.
  std::unique_ptr<llm::OpenAiChat> job_chat_model_;
  std::unique_ptr<net::HttpClient> job_llm_http_;
  PipelineOptions pipeline_options_;
  SearchConfig search_config_;
  std::unique_ptr<net::HttpClient> embeddings_http_;
  std::unique_ptr<llm::Embedder> embedder_;
  std::unique_ptr<SearchService> search_;
  store::User local_user_;
};

}  // namespace hark::app
