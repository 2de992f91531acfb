// Episode-level insights from the extractive engine: highlights (the best moments),
// generated chapters (topic segmentation) and the episode summary.
//
// Contract: pure functions over an EpisodeAnalysis; thread-safe. A PassageWriter, when
// given, writes titles and summaries with the extractive text as fallback.
#pragma once

#include <string>
#include <vector>

#include "core/model.hpp"
#include "core/result.hpp"
#include "insight/analysis.hpp"
#include "insight/describe.hpp"

namespace hark::insight {

struct Highlight {
  Millis start_ms = 0;
  Millis end_ms = 0;
  std::string title;
  std::string summary;
  double score = 0;  // higher is better; comparable within one episode only
  std::string engine = "extractive";
};

struct HighlightOptions {
  std::size_t min_count = 5;
  std::size_t max_count = 10;
  Millis min_ms = 20000;
  Millis max_ms = 90000;
  // One highlight per this much audio, within [min_count, max_count].
  Millis per_duration_ms = 6 * 60 * 1000;
  // Times at which listeners snipped this episode (once several users exist); moments many
  // people saved score higher.
  std::vector<Millis> snip_taps;
};

// The best non-overlapping moments, spread over the episode, ordered by time. Scored by
// centrality, answered questions, the publisher's soundbites and listeners' snips. Fewer
// than min_count when the episode is too short to hold them. InvalidInput when untimed.
Result<std::vector<Highlight>> highlights(const EpisodeAnalysis& analysis,
                                          const std::vector<Soundbite>& soundbites,
                                          const HighlightOptions& options = {},
                                          PassageWriter* writer = nullptr);

struct ChapterOptions {
  // No chapter shorter than min_ms, or than a `min_parts`-th of the episode when that is
  // less: two minutes suits a 30–120 minute episode, a 6-minute one gets 1-minute chapters.
  Millis min_ms = 2 * 60 * 1000;
  Millis min_parts = 6;
  // Only gaps whose score exceeds mean + cutoff × stddev of all gaps may be boundaries
  // (higher is stricter); the strongest are taken first, at least the minimum length apart.
  double cutoff = 0.0;
};

// Topic segmentation over sentences (TextTiling-style lexical cohesion plus discourse cues
// and interview questions), each chapter titled; source "generated". The first chapter
// starts at the first sentence. InvalidInput when untimed.
Result<std::vector<Chapter>> generated_chapters(const EpisodeAnalysis& analysis,
                                                const ChapterOptions& options = {},
                                                PassageWriter* writer = nullptr);
// The sentence indices where generated chapters start (the first is always 0); what
// generated_chapters uses, exposed for evaluation.
std::vector<std::size_t> chapter_starts(const EpisodeAnalysis& analysis,
                                        const ChapterOptions& options = {});

struct EpisodeSummary {
  std::string abstract;                // ≈ 100 words
  std::vector<std::string> takeaways;  // 3–6 bullets
  std::string engine = "extractive";
};

struct EpisodeSummaryOptions {
  std::size_t abstract_words = 100;
  std::size_t min_takeaways = 3;
  std::size_t max_takeaways = 6;
};

EpisodeSummary episode_summary(const EpisodeAnalysis& analysis,
                               const EpisodeSummaryOptions& options = {});

}  // namespace hark::insight
