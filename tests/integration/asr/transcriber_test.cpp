// ChunkedTranscriber against real HTTP servers on loopback that speak the two wire formats.
// The servers parse the multipart requests they get and answer with the documented response
// shapes; chunks are a few seconds of synthetic PCM so the whole suite stays fast.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <fstream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "asr/chunked_transcriber.hpp"
#include "asr/chunking.hpp"
#include "asr/wav.hpp"
#include "loopback_server.hpp"
#include "net/http_client.hpp"
#include "temp_dir.hpp"

namespace hark::asr {
namespace {

using hark::testing::LoopbackServer;
using hark::testing::ServerRequest;
using hark::testing::ServerResponse;
using nlohmann::json;
using namespace std::chrono_literals;

constexpr int kRate = 16000;

bool contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

std::string fixture(const std::string& name) {
  std::ifstream in(std::string(HARK_FIXTURES) + "/asr/" + name, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// ---- multipart/form-data, parsed the way a server would ----

struct Part {
  std::string name, filename, content_type, data;
};

std::vector<Part> parse_multipart(const std::string& type, const std::string& body) {
  std::vector<Part> parts;
  const auto b = type.find("boundary=");
  if (!type.starts_with("multipart/form-data") || b == std::string::npos) {
    ADD_FAILURE() << "not multipart/form-data: " << type;
    return parts;
  }
  const std::string delimiter = "--" + type.substr(b + 9);
  std::size_t pos = body.find(delimiter);
  if (pos != 0) {
    ADD_FAILURE() << "the body does not start with the boundary";
    return parts;
  }
  for (;;) {
    pos += delimiter.size();
    if (body.compare(pos, 2, "--") == 0) break;  // the closing delimiter
    if (body.compare(pos, 2, "\r\n") != 0) {
      ADD_FAILURE() << "no CRLF after a boundary";
      return parts;
    }
    pos += 2;
    const auto headers_end = body.find("\r\n\r\n", pos);
    const auto next = body.find("\r\n" + delimiter, headers_end);
    if (headers_end == std::string::npos || next == std::string::npos) {
      ADD_FAILURE() << "a part is not closed";
      return parts;
    }
    Part part;
    std::istringstream headers(body.substr(pos, headers_end - pos));
    for (std::string line; std::getline(headers, line);) {
      if (line.ends_with('\r')) line.pop_back();
      auto quoted = [&](const std::string& key) {
        const auto k = line.find(key + "=\"");
        if (k == std::string::npos) return std::string{};
        const auto start = k + key.size() + 2;
        return line.substr(start, line.find('"', start) - start);
      };
      if (line.starts_with("Content-Disposition: form-data;")) {
        part.name = quoted("name");
        part.filename = quoted("filename");
      } else if (line.starts_with("Content-Type: ")) {
        part.content_type = line.substr(14);
      }
    }
    part.data = body.substr(headers_end + 4, next - headers_end - 4);
    parts.push_back(std::move(part));
    pos = next + 2;
  }
  return parts;
}

std::vector<std::string> fields(const std::vector<Part>& parts, const std::string& name) {
  std::vector<std::string> out;
  for (const Part& p : parts) {
    if (p.name == name) out.push_back(p.data);
  }
  return out;
}

const Part* file_part(const std::vector<Part>& parts) {
  for (const Part& p : parts) {
    if (p.name == "file") return &p;
  }
  return nullptr;
}

// cpp-httplib (under LoopbackServer) parses multipart/form-data bodies itself — a malformed
// one is answered 400 before any handler runs — and does not hand the raw body or the parts
// to handlers. So the client side tags each request with an id and keeps its body, and a
// handler looks the body up by the id to read the fields and the file. The request still
// goes over real HTTP to the real server.
class TaggingClient final : public net::HttpClient {
 public:
  explicit TaggingClient(std::unique_ptr<net::HttpClient> inner) : inner_(std::move(inner)) {}

  Result<net::Response> fetch(const net::Request& request,
                              const net::ProgressFn& progress) override {
    net::Request tagged = request;
    std::string type;
    for (const auto& [name, value] : request.headers) {
      if (name == "Content-Type") type = value;
    }
    {
      std::lock_guard lock(mutex_);
      const std::string id = std::to_string(bodies_.size());
      bodies_.emplace_back(type, request.body);
      tagged.headers.emplace_back("X-Test-Upload", id);
    }
    return inner_->fetch(tagged, progress);
  }

  Result<net::DownloadResult> download(const net::Request& request,
                                       const std::filesystem::path& file, std::int64_t resume_from,
                                       const net::ProgressFn& progress,
                                       std::int64_t max_bytes) override {
    return inner_->download(request, file, resume_from, progress, max_bytes);
  }

  // The parts of the upload `request` carries, checking that the server saw the same
  // Content-Type the client sent.
  std::vector<Part> parts(const ServerRequest& request) const {
    std::pair<std::string, std::string> upload;
    {
      std::lock_guard lock(mutex_);
      const auto id = static_cast<std::size_t>(std::stoul(request.header("x-test-upload")));
      upload = bodies_.at(id);
    }
    EXPECT_EQ(request.header("content-type"), upload.first);
    return parse_multipart(upload.first, upload.second);
  }

 private:
  std::unique_ptr<net::HttpClient> inner_;
  mutable std::mutex mutex_;
  std::vector<std::pair<std::string, std::string>> bodies_;  // (Content-Type, body) by id
};

// The length of an uploaded 16 kHz mono 16-bit WAV.
Millis wav_ms(const std::string& wav) {
  return wav.size() < 44 ? 0 : static_cast<Millis>((wav.size() - 44) / 2) * 1000 / kRate;
}

// ---- synthetic speech: bursts of noise with pauses ----

std::vector<float> speech(double seconds) {
  std::vector<float> out;
  std::uint32_t state = 12345;
  auto noise = [&] {
    state = state * 1664525u + 1013904223u;
    return static_cast<float>(state >> 8) / static_cast<float>(1u << 24) * 2.0f - 1.0f;
  };
  const auto total = static_cast<std::size_t>(seconds * kRate);
  const int bursts_ms[] = {900, 1300, 700, 1100, 1500};
  for (int i = 0; out.size() < total; ++i) {
    for (int s = 0; s < bursts_ms[i % 5] * kRate / 1000 && out.size() < total; ++s)
      out.push_back(noise() * 0.3f);
    for (int s = 0; s < 350 * kRate / 1000 && out.size() < total; ++s)
      out.push_back(noise() * 0.001f);
  }
  return out;
}

// `parallel`: the endpoints' concurrency summed, which the transcriber plans chunks for.
ChunkingOptions short_chunks(int parallel = 1) {
  ChunkingOptions o;
  o.parallel = parallel;
  o.balance_min_ms = 1'000;
  o.balance_window_ms = 500;
  o.min_ms = 2'000;
  o.target_ms = 3'000;
  o.max_ms = 4'000;
  return o;
}

ChunkedOptions fast_options(int max_attempts = 4) {
  ChunkedOptions o;
  o.chunking = short_chunks();
  o.retry.max_attempts = max_attempts;
  o.retry.initial_backoff_ms = 10;
  o.retry.max_backoff_ms = 50;
  return o;
}

// Default chunk lengths: a few seconds of audio is one chunk.
ChunkedOptions one_chunk_options() {
  ChunkedOptions o = fast_options();
  o.chunking = ChunkingOptions{};
  return o;
}

// ---- responses ----

ServerResponse json_response(const std::string& body, int status = 200) {
  ServerResponse r;
  r.status = status;
  r.content_type = "application/json";
  r.body = body;
  return r;
}

// An OpenAI verbose_json answer for a chunk of `ms`: one segment with the words "edge" at
// its start, "middle", and "edge" again spilling 150 ms past its end — as if a word straddled
// every cut.
std::string edge_answer(Millis ms) {
  const double d = static_cast<double>(ms) / 1000.0;
  json words = json::array({
      {{"word", "edge"}, {"start", 0.0}, {"end", 0.15}},
      {{"word", "middle"}, {"start", 0.5}, {"end", 0.9}},
      {{"word", "edge"}, {"start", d - 0.2}, {"end", d + 0.15}},
  });
  json segment = {{"id", 0},
                  {"start", 0.0},
                  {"end", d},
                  {"text", " edge middle edge"},
                  {"avg_logprob", -0.2},
                  {"no_speech_prob", 0.01}};
  return json{{"task", "transcribe"},
              {"language", "english"},
              {"duration", d},
              {"text", " edge middle edge"},
              {"segments", json::array({segment})},
              {"words", words}}
      .dump();
}

ServerResponse edge_response(const std::vector<Part>& parts) {
  const Part* file = file_part(parts);
  if (file == nullptr) return json_response(R"({"error":{"message":"no file"}})", 400);
  return json_response(edge_answer(wav_ms(file->data)));
}

net::Policy loopback_policy() {
  net::Policy policy;
  policy.allow_private_networks = true;
  policy.connect_timeout_ms = 2'000;
  policy.timeout_ms = 10'000;
  return policy;
}

Endpoint openai_endpoint(const LoopbackServer& server, int concurrency = 1) {
  Endpoint e;
  e.url = server.url("");
  e.kind = EngineKind::OpenAI;
  e.model = "whisper-test";
  e.concurrency = concurrency;
  e.timeout_ms = 5'000;
  return e;
}

std::string words_of(const Transcript& t) {
  std::string out;
  for (const Segment& s : t.segments) {
    for (const Word& w : s.words) out += (out.empty() ? "" : " ") + w.text;
  }
  return out;
}

class AsrTest : public ::testing::Test {
 protected:
  Result<Transcript> run(const std::vector<Endpoint>& endpoints, const AudioInput& audio,
                         const ChunkedOptions& options = fast_options(),
                         const TranscribeOptions& transcribe = {},
                         const ProgressFn& progress = {}) {
    auto transcriber = ChunkedTranscriber::create(*http_, endpoints, options);
    if (!transcriber) return transcriber.error();
    return (*transcriber)->transcribe(audio, transcribe, progress, cancel_);
  }

  std::vector<Part> parts(const ServerRequest& request) const { return tagging_->parts(request); }
  // Answers every chunk with edge_answer().
  hark::testing::Handler edge_handler() const {
    return [this](const ServerRequest& r) { return edge_response(parts(r)); };
  }

  LoopbackServer server_;
  LoopbackServer other_;
  TaggingClient* tagging_ = nullptr;
  std::unique_ptr<net::HttpClient> http_ = [this] {
    auto client = std::make_unique<TaggingClient>(net::make_http_client(loopback_policy()));
    tagging_ = client.get();
    return client;
  }();
  std::atomic<bool> cancel_{false};
};

// ---- the wire formats ----

TEST_F(AsrTest, OpenAIRequestIsWellFormedMultipart) {
  server_.on("/v1/audio/transcriptions",
             [](const ServerRequest&) { return json_response(fixture("openai_verbose.json")); });
  const std::vector<float> audio = speech(7.0);
  Endpoint e = openai_endpoint(server_);
  e.api_key = "sk-test";
  TranscribeOptions options;
  options.prompt = "The Garden Hour, with Ada Lovelace";
  const auto t = run({e}, AudioInput::pcm(audio), one_chunk_options(), options);
  ASSERT_TRUE(t) << t.error().message;

  const auto requests = server_.requests();
  ASSERT_EQ(requests.size(), 1u);
  const ServerRequest& r = requests[0];
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.header("authorization"), "Bearer sk-test");
  const auto form = parts(r);
  EXPECT_EQ(fields(form, "model"), std::vector<std::string>{"whisper-test"});
  EXPECT_EQ(fields(form, "response_format"), std::vector<std::string>{"verbose_json"});
  EXPECT_EQ(fields(form, "timestamp_granularities[]"),
            (std::vector<std::string>{"segment", "word"}));
  EXPECT_EQ(fields(form, "prompt"), std::vector<std::string>{"The Garden Hour, with Ada Lovelace"});
  EXPECT_TRUE(fields(form, "language").empty()) << "auto-detect sends no language";
  const Part* file = file_part(form);
  ASSERT_NE(file, nullptr);
  EXPECT_EQ(file->filename, "audio.wav");
  EXPECT_EQ(file->content_type, "audio/wav");
  EXPECT_EQ(file->data, encode_wav(audio));

  EXPECT_EQ(t->source, "asr:openai");
  EXPECT_EQ(t->language, "en");
  ASSERT_EQ(t->segments.size(), 2u);
  EXPECT_EQ(t->segments[1].text, "Today we plant tomatoes, with Ada Lovelace.");
  EXPECT_EQ(t->segments[1].words.size(), 7u);
}

TEST_F(AsrTest, OpenAIBaseUrlEndingInV1AndAGivenLanguage) {
  server_.on("/v1/audio/transcriptions", [](const ServerRequest&) {
    return json_response(fixture("faster_whisper_verbose.json"));
  });
  Endpoint e = openai_endpoint(server_);
  e.url = server_.url("/v1/");
  TranscribeOptions options;
  options.language = "DE";
  options.word_timestamps = false;
  const std::vector<float> audio = speech(5.0);
  const auto t = run({e}, AudioInput::pcm(audio), one_chunk_options(), options);
  ASSERT_TRUE(t) << t.error().message;
  const auto form = parts(server_.requests().at(0));
  EXPECT_EQ(fields(form, "language"), std::vector<std::string>{"de"});
  EXPECT_EQ(fields(form, "timestamp_granularities[]"), std::vector<std::string>{"segment"});
  ASSERT_EQ(t->segments.size(), 2u);
  EXPECT_TRUE(t->segments[0].words.empty());
}

TEST_F(AsrTest, WhisperCppInferenceShape) {
  server_.on("/inference", [](const ServerRequest&) {
    return json_response(fixture("whisper_cpp_verbose.json"));
  });
  Endpoint e;
  e.url = server_.url("");
  e.kind = EngineKind::WhisperCpp;
  const std::vector<float> audio = speech(9.0);
  auto transcriber = ChunkedTranscriber::create(*http_, {e}, one_chunk_options());
  ASSERT_TRUE(transcriber);
  EXPECT_EQ((*transcriber)->engine().kind, "whisper.cpp");
  const auto t = (*transcriber)->transcribe(AudioInput::pcm(audio), {}, {}, cancel_);
  ASSERT_TRUE(t) << t.error().message;

  const auto form = parts(server_.requests().at(0));
  EXPECT_EQ(fields(form, "response_format"), std::vector<std::string>{"verbose_json"});
  EXPECT_EQ(fields(form, "language"), std::vector<std::string>{"auto"});
  EXPECT_TRUE(fields(form, "model").empty());
  EXPECT_TRUE(fields(form, "timestamp_granularities[]").empty());
  ASSERT_NE(file_part(form), nullptr);

  EXPECT_EQ(t->source, "asr:whisper.cpp");
  EXPECT_EQ(t->language, "en");
  ASSERT_EQ(t->segments.size(), 1u) << "the no-speech \"Thank you.\" is dropped";
  EXPECT_EQ(words_of(*t), "Welcome back, listeners.");
}

// ---- chunking, merging and scheduling ----

TEST_F(AsrTest, ChunksAreMergedWithAbsoluteTimesAndEdgeWordsOnce) {
  server_.on("/v1/audio/transcriptions", edge_handler());
  const std::vector<float> audio = speech(16.0);
  const auto plan = plan_chunks(audio, short_chunks(2));
  ASSERT_GE(plan.size(), 4u);
  std::vector<Progress> progress;
  const auto caller = std::this_thread::get_id();
  const auto t = run({openai_endpoint(server_, 2)}, AudioInput::pcm(audio), fast_options(), {},
                     [&](const Progress& p) {
                       EXPECT_EQ(std::this_thread::get_id(), caller);
                       progress.push_back(p);
                     });
  ASSERT_TRUE(t) << t.error().message;
  EXPECT_EQ(server_.requests().size(), plan.size());

  // One segment per chunk; every chunk but the first lost its leading "edge" to the previous one.
  ASSERT_EQ(t->segments.size(), plan.size());
  std::string expected = "edge";
  for (std::size_t i = 0; i < plan.size(); ++i) {
    expected += " middle edge";
    const Segment& s = t->segments[i];
    const Word& middle = s.words[i == 0 ? 1 : 0];
    EXPECT_EQ(middle.text, "middle");
    EXPECT_EQ(middle.start_ms, plan[i].start_ms() + 500) << "chunk " << i;
    EXPECT_EQ(s.text, i == 0 ? "edge middle edge" : "middle edge");
  }
  EXPECT_EQ(words_of(*t), expected);

  ASSERT_FALSE(progress.empty());
  EXPECT_EQ(progress.back().chunks_done, static_cast<int>(plan.size()));
  EXPECT_EQ(progress.back().chunks_total, static_cast<int>(plan.size()));
  EXPECT_EQ(progress.back().audio_total_ms, 16'000);
  EXPECT_EQ(progress.back().audio_done_ms, 16'000);
  for (std::size_t i = 1; i < progress.size(); ++i) {
    EXPECT_GE(progress[i].chunks_done, progress[i - 1].chunks_done);
  }
}

TEST_F(AsrTest, TwoEndpointsShareTheChunks) {
  auto slow_edge = [this](const ServerRequest& r) {
    ServerResponse response = edge_response(parts(r));
    response.delay = 150ms;
    return response;
  };
  server_.on("/v1/audio/transcriptions", slow_edge);
  other_.on("/inference", slow_edge);  // the same JSON shape; whisper.cpp's route
  Endpoint a = openai_endpoint(server_);
  Endpoint b;
  b.url = other_.url("");
  b.kind = EngineKind::WhisperCpp;
  const std::vector<float> audio = speech(20.0);
  const auto plan = plan_chunks(audio, short_chunks(2));
  auto transcriber = ChunkedTranscriber::create(*http_, {a, b}, fast_options());
  ASSERT_TRUE(transcriber);
  EXPECT_EQ((*transcriber)->engine().kind, "mixed");
  EXPECT_EQ((*transcriber)->engine().model, "whisper-test");
  const auto t = (*transcriber)->transcribe(AudioInput::pcm(audio), {}, {}, cancel_);
  ASSERT_TRUE(t) << t.error().message;
  // Equal endpoints take about equal shares (each comes back for the next chunk when done).
  const std::size_t fair = plan.size() / 2;
  EXPECT_GE(server_.requests().size() + 1, fair);
  EXPECT_GE(other_.requests().size() + 1, fair);
  EXPECT_EQ(server_.requests().size() + other_.requests().size(), plan.size());
  EXPECT_EQ(t->segments.size(), plan.size());
  EXPECT_EQ(t->source, "asr:mixed");
}

TEST_F(AsrTest, AnEndpointsConcurrencyHoldsAcrossEpisodes) {
  std::atomic<int> in_flight{0};
  std::atomic<int> most{0};
  server_.on("/v1/audio/transcriptions", [&](const ServerRequest& r) {
    const int now = ++in_flight;
    int seen = most.load();
    while (now > seen && !most.compare_exchange_weak(seen, now)) {
    }
    std::this_thread::sleep_for(60ms);
    --in_flight;
    return edge_response(parts(r));
  });
  const std::vector<float> audio = speech(16.0);
  auto transcriber =
      ChunkedTranscriber::create(*http_, {openai_endpoint(server_, 2)}, fast_options());
  ASSERT_TRUE(transcriber);
  // Two episodes at once share the endpoint's two slots.
  std::optional<Result<Transcript>> first;
  {
    std::jthread other(
        [&] { first = (*transcriber)->transcribe(AudioInput::pcm(audio), {}, {}, cancel_); });
    const auto second = (*transcriber)->transcribe(AudioInput::pcm(audio), {}, {}, cancel_);
    ASSERT_TRUE(second) << second.error().message;
  }
  ASSERT_TRUE(first && *first);
  EXPECT_EQ(most.load(), 2);
  EXPECT_EQ(server_.requests().size(), 2 * plan_chunks(audio, short_chunks(2)).size());
}

TEST_F(AsrTest, OnlyTheFailedChunkIsRetried) {
  const std::vector<float> audio = speech(14.0);
  const auto plan = plan_chunks(audio, short_chunks(2));
  ASSERT_GE(plan.size(), 3u);
  const std::string second = encode_wav(
      std::span<const float>(audio).subspan(static_cast<std::size_t>(plan[1].begin),
                                            static_cast<std::size_t>(plan[1].end - plan[1].begin)));
  std::mutex mutex;
  std::map<std::string, int> seen;  // uploads per WAV
  server_.on("/v1/audio/transcriptions", [&](const ServerRequest& r) {
    const auto form = parts(r);
    const std::string wav = file_part(form) ? file_part(form)->data : "";
    int n = 0;
    {
      std::lock_guard lock(mutex);
      n = ++seen[wav];
    }
    if (wav == second && n == 1) return json_response(R"({"error":{"message":"busy"}})", 503);
    return edge_response(parts(r));
  });
  const auto t = run({openai_endpoint(server_, 2)}, AudioInput::pcm(audio));
  ASSERT_TRUE(t) << t.error().message;
  EXPECT_EQ(server_.requests().size(), plan.size() + 1);
  EXPECT_EQ(seen.size(), plan.size());
  for (const auto& [wav, n] : seen) EXPECT_EQ(n, wav == second ? 2 : 1);
  EXPECT_EQ(t->segments.size(), plan.size());
}

TEST_F(AsrTest, ServerFailingTwiceThenSucceeding) {
  std::atomic<int> calls{0};
  server_.on("/v1/audio/transcriptions", [&](const ServerRequest& r) {
    if (++calls <= 2) {
      ServerResponse busy = json_response(R"({"error":{"message":"server overloaded"}})", 500);
      busy.headers.emplace_back("Retry-After", "0");
      return busy;
    }
    return edge_response(parts(r));
  });
  const std::vector<float> audio = speech(3.0);
  const auto t = run({openai_endpoint(server_)}, AudioInput::pcm(audio));
  ASSERT_TRUE(t) << t.error().message;
  EXPECT_EQ(calls.load(), 3);
  EXPECT_EQ(words_of(*t), "edge middle edge");
}

TEST_F(AsrTest, RetriesRunOutWithAMessageSayingWhere) {
  server_.on("/v1/audio/transcriptions", [](const ServerRequest&) {
    return json_response(R"({"error":{"message":"model is loading"}})", 503);
  });
  const std::vector<float> audio = speech(3.0);
  const auto t = run({openai_endpoint(server_)}, AudioInput::pcm(audio), fast_options(3));
  ASSERT_FALSE(t);
  EXPECT_EQ(t.error().code, ErrorCode::Unavailable);
  EXPECT_TRUE(contains(t.error().message, "the audio from 0:00 to 0:03 failed 3 times"))
      << t.error().message;
  EXPECT_TRUE(contains(t.error().message, "HTTP 503: model is loading")) << t.error().message;
  EXPECT_EQ(server_.requests().size(), 3u);
}

TEST_F(AsrTest, AHangingServerTimesOutAndTheChunkIsRetried) {
  std::atomic<int> calls{0};
  server_.on("/v1/audio/transcriptions", [&](const ServerRequest& r) {
    ServerResponse response = edge_response(parts(r));
    if (++calls == 1) response.delay = 5s;  // hangs; the client gives up first
    return response;
  });
  Endpoint e = openai_endpoint(server_);
  e.timeout_ms = 300;
  const std::vector<float> audio = speech(3.0);
  const auto t = run({e}, AudioInput::pcm(audio));
  ASSERT_TRUE(t) << t.error().message;
  EXPECT_EQ(calls.load(), 2);
}

TEST_F(AsrTest, AServerThatAlwaysHangsFailsAfterTheConfiguredAttempts) {
  server_.on("/v1/audio/transcriptions", [this](const ServerRequest& r) {
    ServerResponse response = edge_response(parts(r));
    response.delay = 5s;
    return response;
  });
  Endpoint e = openai_endpoint(server_);
  e.timeout_ms = 250;
  const std::vector<float> audio = speech(3.0);
  const auto t = run({e}, AudioInput::pcm(audio), fast_options(2));
  ASSERT_FALSE(t);
  EXPECT_EQ(t.error().code, ErrorCode::Unavailable);
  EXPECT_TRUE(contains(t.error().message, "timed out")) << t.error().message;
  EXPECT_TRUE(contains(t.error().message, "failed 2 times")) << t.error().message;
  EXPECT_EQ(server_.requests().size(), 2u);
}

// ---- errors that are not retried ----

TEST_F(AsrTest, UnauthorisedIsAClearErrorAndNotRetried) {
  server_.on("/v1/audio/transcriptions", [](const ServerRequest&) {
    return json_response(
        R"({"error":{"message":"Incorrect API key provided","type":"invalid_request_error"}})",
        401);
  });
  Endpoint e = openai_endpoint(server_);
  e.api_key = "sk-wrong";
  const std::vector<float> audio = speech(12.0);  // several chunks; only one is ever sent
  const auto t = run({e}, AudioInput::pcm(audio));
  ASSERT_FALSE(t);
  EXPECT_EQ(t.error().code, ErrorCode::Forbidden);
  EXPECT_TRUE(contains(t.error().message,
                       "the speech-to-text service at " + server_.url("") + " refused the API key"))
      << t.error().message;
  EXPECT_TRUE(contains(t.error().message, "[asr] api_key")) << t.error().message;
  EXPECT_TRUE(contains(t.error().message, "api_key_env")) << t.error().message;
  EXPECT_TRUE(contains(t.error().message, "Incorrect API key provided")) << t.error().message;
  EXPECT_EQ(server_.requests().size(), 1u);
}

TEST_F(AsrTest, BadRequestIsInvalidInputAndNotRetried) {
  server_.on("/v1/audio/transcriptions", [](const ServerRequest&) {
    return json_response(R"({"detail":"Invalid file format."})", 400);
  });
  const std::vector<float> audio = speech(3.0);
  const auto t = run({openai_endpoint(server_)}, AudioInput::pcm(audio));
  ASSERT_FALSE(t);
  EXPECT_EQ(t.error().code, ErrorCode::InvalidInput);
  EXPECT_TRUE(contains(t.error().message, "rejected the audio (HTTP 400: Invalid file format.)"))
      << t.error().message;
  EXPECT_EQ(server_.requests().size(), 1u);
}

TEST_F(AsrTest, InvalidJsonNamesTheEndpoint) {
  server_.on("/v1/audio/transcriptions", [](const ServerRequest&) {
    ServerResponse r;
    r.content_type = "text/html";
    r.body = "<html><body>Welcome to nginx!</body></html>";
    return r;
  });
  const std::vector<float> audio = speech(3.0);
  const auto t = run({openai_endpoint(server_)}, AudioInput::pcm(audio));
  ASSERT_FALSE(t);
  EXPECT_EQ(t.error().code, ErrorCode::Unavailable);
  EXPECT_TRUE(contains(t.error().message, "the speech-to-text service at " + server_.url("") +
                                              " returned invalid JSON ("))
      << t.error().message;
  EXPECT_EQ(server_.requests().size(), 1u);
}

TEST_F(AsrTest, WrongRouteSaysToCheckTheUrlAndKind) {
  // A whisper.cpp server configured as OpenAI: 404 for /v1/audio/transcriptions.
  server_.on("/inference", edge_handler());
  const std::vector<float> audio = speech(3.0);
  const auto t = run({openai_endpoint(server_)}, AudioInput::pcm(audio));
  ASSERT_FALSE(t);
  EXPECT_TRUE(contains(t.error().message, "has no /v1/audio/transcriptions endpoint"))
      << t.error().message;
  EXPECT_TRUE(contains(t.error().message, "check [asr] url and kind")) << t.error().message;
  EXPECT_EQ(server_.requests().size(), 1u);
}

TEST_F(AsrTest, BadConfigurationIsRefusedUpFront) {
  EXPECT_FALSE(ChunkedTranscriber::create(*http_, {}));
  Endpoint e = openai_endpoint(server_);
  e.concurrency = 0;
  EXPECT_FALSE(ChunkedTranscriber::create(*http_, {e}));
  e.concurrency = 1;
  e.url = "ftp://example.org";
  EXPECT_FALSE(ChunkedTranscriber::create(*http_, {e}));
}

TEST_F(AsrTest, EmptyAudioIsInvalidInput) {
  const auto t = run({openai_endpoint(server_)}, AudioInput::pcm({}));
  ASSERT_FALSE(t);
  EXPECT_EQ(t.error().code, ErrorCode::InvalidInput);
  EXPECT_TRUE(server_.requests().empty());
}

// ---- cancellation ----

TEST_F(AsrTest, CancellationMidEpisodeStopsQuicklyAndSendsNothingMore) {
  std::atomic<int> calls{0};
  server_.on("/v1/audio/transcriptions", [&](const ServerRequest& r) {
    ++calls;
    ServerResponse response = edge_response(parts(r));
    response.delay = 10s;
    return response;
  });
  const std::vector<float> audio = speech(20.0);
  std::jthread canceller([&] {
    while (calls.load() == 0) std::this_thread::sleep_for(5ms);
    cancel_ = true;
  });
  const auto started = std::chrono::steady_clock::now();
  const auto t = run({openai_endpoint(server_)}, AudioInput::pcm(audio));
  const auto took = std::chrono::steady_clock::now() - started;
  ASSERT_FALSE(t);
  EXPECT_EQ(t.error().code, ErrorCode::Cancelled);
  // The in-flight request was aborted rather than waited for (the server takes 10 s).
  EXPECT_LT(took, 5s);
  std::this_thread::sleep_for(200ms);
  EXPECT_EQ(calls.load(), 1) << "no request may start after the cancel";
}

// ---- a file, decoded by FFmpeg ----

TEST_F(AsrTest, AFileIsDecodedChunkByChunk) {
  hark::testing::TempDir dir;
  const std::vector<float> audio = speech(11.0);
  hark::testing::write_file(dir / "episode.wav", encode_wav(audio));
  server_.on("/v1/audio/transcriptions", edge_handler());
  const auto t = run({openai_endpoint(server_)}, AudioInput::file(dir / "episode.wav"));
  ASSERT_TRUE(t) << t.error().message;

  // Concurrency 1: requests arrive in chunk order; together they hold every sample once.
  std::size_t samples = 0;
  Millis offset = 0;
  const auto requests = server_.requests();
  ASSERT_GE(requests.size(), 3u);
  ASSERT_EQ(t->segments.size(), requests.size());
  for (std::size_t i = 0; i < requests.size(); ++i) {
    const auto form = parts(requests[i]);
    ASSERT_NE(file_part(form), nullptr);
    const std::string& wav = file_part(form)->data;
    EXPECT_EQ(t->segments[i].words[i == 0 ? 1 : 0].start_ms, offset + 500) << "chunk " << i;
    samples += (wav.size() - 44) / 2;
    offset += wav_ms(wav);
  }
  EXPECT_EQ(samples, audio.size());
}

TEST_F(AsrTest, AFileForTwoWorkersIsCutIntoAnEvenNumberOfEqualChunksDecodedOnce) {
  hark::testing::TempDir dir;
  const std::vector<float> audio = speech(19.0);  // 7 chunks at a 3 s target: 8 for two
  hark::testing::write_file(dir / "episode.wav", encode_wav(audio));
  server_.on("/v1/audio/transcriptions", edge_handler());
  auto transcriber =
      ChunkedTranscriber::create(*http_, {openai_endpoint(server_, 2)}, fast_options());
  ASSERT_TRUE(transcriber);
  TranscribeStats stats;
  const auto t =
      (*transcriber)->transcribe(AudioInput::file(dir / "episode.wav"), {}, {}, cancel_, &stats);
  ASSERT_TRUE(t) << t.error().message;
  const auto requests = server_.requests();
  ASSERT_GE(requests.size(), 4u);
  EXPECT_EQ(requests.size() % 2, 0u);
  EXPECT_EQ(stats.chunks, static_cast<int>(requests.size()));
  std::size_t samples = 0;
  const double mean = 19'000.0 / static_cast<double>(requests.size());
  for (const auto& r : requests) {
    const auto form = parts(r);
    ASSERT_NE(file_part(form), nullptr);
    const std::string& wav = file_part(form)->data;
    samples += (wav.size() - 44) / 2;
    // Balanced cuts move at most a quarter of a chunk to find a pause.
    EXPECT_NEAR(static_cast<double>(wav_ms(wav)), mean, mean / 2 + 50);
  }
  EXPECT_EQ(samples, audio.size());
  EXPECT_EQ(t->segments.size(), requests.size());
}

TEST_F(AsrTest, AnUnreadableFileIsAnError) {
  hark::testing::TempDir dir;
  hark::testing::write_file(dir / "episode.mp3", "<html>not audio</html>");
  const auto t = run({openai_endpoint(server_)}, AudioInput::file(dir / "episode.mp3"));
  ASSERT_FALSE(t);
  EXPECT_NE(t.error().code, ErrorCode::Cancelled);
  EXPECT_TRUE(server_.requests().empty());
}

}  // namespace
}  // namespace hark::asr
