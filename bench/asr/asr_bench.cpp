// Transcribes one audio file through ChunkedTranscriber with the given endpoints and prints
// one JSON line: audio length, wall time, real-time factor, where hark's time went (decode +
// chunk planning, per-chunk decoding, WAV encoding, merging) and, with --reference, the WER.
//
//   hark_bench_asr AUDIO URL [URL...] [--model NAME] [--reference TEXT_FILE] [--label TEXT]
//
// Every URL is an OpenAI-kind endpoint with concurrency 1. Prints nothing else on stdout.
#include <atomic>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "asr/chunked_transcriber.hpp"
#include "asr/wer.hpp"
#include "net/http_client.hpp"

int main(int argc, char** argv) {
  using namespace hark;
  std::string audio, model = "base", reference_file, label;
  std::vector<std::string> urls;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--model" && i + 1 < argc) {
      model = argv[++i];
    } else if (a == "--reference" && i + 1 < argc) {
      reference_file = argv[++i];
    } else if (a == "--label" && i + 1 < argc) {
      label = argv[++i];
    } else if (audio.empty()) {
      audio = a;
    } else {
      urls.push_back(a);
    }
  }
  if (audio.empty() || urls.empty()) {
    std::cerr << "usage: hark_bench_asr AUDIO URL [URL...] [--model NAME] [--reference FILE]\n";
    return 2;
  }
  net::Policy policy;
  policy.allow_private_networks = true;  // the services run on loopback
  policy.low_speed_timeout_ms = 0;
  auto http = net::make_http_client(policy);
  std::vector<asr::Endpoint> endpoints;
  for (const auto& url : urls) {
    asr::Endpoint e;
    e.url = url;
    e.model = model;
    e.concurrency = 1;
    e.timeout_ms = 1'800'000;
    endpoints.push_back(e);
  }
  auto transcriber = asr::ChunkedTranscriber::create(*http, endpoints);
  if (!transcriber) {
    std::cerr << transcriber.error().message << "\n";
    return 1;
  }
  asr::TranscribeOptions options;
  options.language = "en";
  std::atomic<bool> cancel{false};
  asr::TranscribeStats stats;
  auto result = (*transcriber)
                    ->transcribe(
                        asr::AudioInput::file(audio), options,
                        [](const asr::Progress& p) {
                          std::cerr << "\r  " << p.chunks_done << "/" << p.chunks_total << " chunks"
                                    << std::flush;
                        },
                        cancel, &stats);
  std::cerr << "\n";
  if (!result) {
    std::cerr << "transcription failed: " << result.error().message << "\n";
    return 1;
  }
  const double audio_s = static_cast<double>(stats.audio_ms) / 1000.0;
  char line[1024];
  std::snprintf(
      line, sizeof line,
      "{\"label\":\"%s\",\"endpoints\":%zu,\"audio_s\":%.1f,\"total_s\":%.2f,\"rtf\":%.4f,"
      "\"chunks\":%d,\"requests\":%d,\"plan_s\":%.3f,\"chunk_decode_s\":%.3f,"
      "\"encode_s\":%.3f,\"merge_s\":%.4f,\"request_s\":%.1f,\"overhead_share\":%.5f,"
      "\"segments\":%zu",
      label.c_str(), urls.size(), audio_s, stats.total_seconds,
      audio_s > 0 ? stats.total_seconds / audio_s : 0.0, stats.chunks, stats.requests,
      stats.plan_seconds, stats.chunk_decode_seconds, stats.encode_seconds, stats.merge_seconds,
      stats.request_seconds, stats.overhead_share(), result->segments.size());
  std::cout << line;
  if (!reference_file.empty()) {
    std::ifstream in(reference_file);
    std::stringstream ss;
    ss << in.rdbuf();
    std::string text;
    for (const auto& s : result->segments) text += s.text + " ";
    const auto wer = asr::word_error_rate(ss.str(), text);
    std::printf(",\"wer\":%.4f,\"reference_words\":%d", wer.rate, wer.reference_words);
    std::fflush(stdout);
  }
  std::cout << "}\n";
  return 0;
}
