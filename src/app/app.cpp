#include "app/app.hpp"

#include <iostream>

#include "app/pipeline.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace hark::app {

Result<std::unique_ptr<App>> App::open(Config config, FrontEnd front_end,
                                       std::optional<std::string> asr_url) {
  std::error_code ec;
  std::filesystem::create_directories(config.data_dir, ec);
  if (ec)
    return invalid_input("cannot create the data directory " + config.data_dir.string() + ": " +
                         ec.message() + " (choose another with --data or HARK_DATA)");
  std::unique_ptr<App> app(new App());
  auto store = store::sqlite::open(config.database_path());
  if (!store) return store.error();
  app->store_ = std::move(*store);
  const bool local_admin = front_end == FrontEnd::Cli;
  app->http_ = net::make_http_client(make_policy(config, local_admin));
  LibraryOptions options;
  options.media_dir = config.media_dir();
  options.refresh_concurrency = config.refresh_concurrency;
  options.refresh_per_host = config.refresh_per_host;
  options.allow_local_files = local_admin;
  app->library_ = std::make_unique<Library>(*app->store_, *app->http_, options);
  auto asr_config = load_asr_config(config);
  if (!asr_config) return asr_config.error();
  if (asr_url) {
    HARK_TRY(override_endpoint(*asr_config, *asr_url, "--asr"));
    asr_config->auto_transcribe = true;
  }
  app->asr_config_ = std::move(*asr_config);
  if (app->asr_config_.enabled()) {
    app->asr_http_ = net::make_http_client(asr_http_policy(app->asr_config_, config));
    asr::ChunkedOptions chunked;
    chunked.chunking = app->asr_config_.chunking;
    auto transcriber =
        asr::ChunkedTranscriber::create(*app->asr_http_, app->asr_config_.endpoints, chunked);
    if (!transcriber) return transcriber.error().with_context(app->asr_config_.source);
    app->transcriber_ = std::move(*transcriber);
  }
  auto llm_config = load_llm_config(config);
  if (!llm_config) return llm_config.error();
  app->llm_config_ = std::move(*llm_config);
  if (app->llm_config_.enabled()) {
    app->llm_http_ = net::make_http_client(llm_http_policy(app->llm_config_, config));
    app->chat_model_ =
        std::make_unique<llm::OpenAiChat>(*app->llm_http_, app->llm_config_.endpoint);
  }
  auto search_config = load_search_config(config);
  if (!search_config) return search_config.error();
  app->search_config_ = std::move(*search_config);
  SearchServiceOptions search;
  if (app->search_config_.embeddings_enabled()) {
    app->embeddings_http_ =
        net::make_http_client(embeddings_http_policy(app->search_config_, config));
    app->embedder_ = std::make_unique<llm::OpenAiEmbedder>(*app->embeddings_http_,
                                                           app->search_config_.embeddings);
    search.embedder = app->embedder_.get();
  }
  search.vector_index_path = config.data_dir / "search" / "vectors.hnsw";
  search.fusion.lexical_weight = app->search_config_.lexical_weight;
  search.fusion.semantic_weight = app->search_config_.semantic_weight;
  search.hnsw.ef_search = app->search_config_.ef_search;
  search.rank_window = app->search_config_.rank_window;
  search.warn = [](const std::string& message) { std::cerr << "warning: " << message << "\n"; };
  app->search_ = std::make_unique<SearchService>(*app->store_, std::move(search));
  PipelineOptions pipeline;
  pipeline.search = app->search_.get();
  pipeline.transcriber = app->transcriber_.get();
  pipeline.download = [library = app->library_.get()](Id id, const net::ProgressFn& progress) {
    return library->download(id, progress);
  };
  pipeline.asr_language = app->asr_config_.language;
  pipeline.auto_transcribe = app->asr_config_.auto_transcribe;
  pipeline.asr_source = app->asr_config_.source;
  if (app->llm_config_.highlights) pipeline.highlight_model = app->chat_model_.get();
  app->pipeline_options_ = pipeline;
  register_pipeline(app->jobs_, *app->store_, *app->http_, pipeline);
  register_snip_jobs(app->jobs_, *app->store_,
                     app->llm_config_.snips ? app->chat_model_.get() : nullptr);
  auto user = app->store_->users().default_user();
  if (!user) return user.error();
  app->local_user_ = *user;
  app->config_ = std::move(config);
  return app;
}

Status App::use_llm(const std::string& url, std::string_view source) {
  LlmConfig replaced = llm_config_;
  HARK_TRY(override_llm_url(replaced, url, source));
  replaced.snips = true;  // asked for by name
  // The jobs registered at open() hold the old model: keep it alive.
  job_llm_http_ = std::move(llm_http_);
  job_chat_model_ = std::move(chat_model_);
  llm_config_ = std::move(replaced);
  llm_http_ = net::make_http_client(llm_http_policy(llm_config_, config_));
  chat_model_ = std::make_unique<llm::OpenAiChat>(*llm_http_, llm_config_.endpoint);
  return ok();
}

SnipWriting App::snip_writing(bool background) const {
  SnipWriting w;
  if (llm_config_.snips) w.model = chat_model_.get();
  w.background = background;
  return w;
}

}  // namespace hark::app
