// `hark transcribe EPISODE [--force] [--replace] [--compare FILE]`: speech-to-text now, in the
// foreground, with a summary (engine, model, language, segments, duration, real-time factor)
// and, when there is something to compare with, the word error rate.
#pragma once

#include <string>

#include "app/app.hpp"
#include "cli/commands.hpp"

namespace hark::cli {

struct TranscribeRequest {
  Id episode = 0;
  // Run even when the episode has a publisher transcript (to compare the two). Without it,
  // such an episode is refused: its transcript is already the best there is.
  bool force = false;
  // Store the speech-to-text transcript even over a publisher transcript. Without it, the
  // result is stored only when the episode had no transcript or one made by speech-to-text.
  bool replace = false;
  // A text file to measure the WER against (a script); by default the publisher transcript,
  // when the episode has one.
  std::string compare_file;
};

Status cmd_transcribe(app::App& app, const TranscribeRequest& request, const Options& o);

}  // namespace hark::cli
