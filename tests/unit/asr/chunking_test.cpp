// Chunk planning on synthetic PCM: speech-like noise bursts separated by silences.
#include "asr/chunking.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <utility>
#include <vector>

#include "asr/wav.hpp"

namespace hark::asr {
namespace {

constexpr int kRate = 16000;

// Audio made of bursts of loud noise ("speech", 0.3 to 1.5 s: a pause falls in every search
// window of the short test chunks) and quiet noise ("silence"); `bursts` records each burst's
// [begin, end) in samples.
struct Synthetic {
  std::vector<float> samples;
  std::vector<std::pair<std::int64_t, std::int64_t>> bursts;
};

Synthetic speech_like(double seconds, unsigned seed, int longest_burst_ms = 1500) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> noise(-1.0f, 1.0f);
  std::uniform_int_distribution<int> burst_ms(300, longest_burst_ms);
  std::uniform_int_distribution<int> pause_ms(120, 700);
  Synthetic s;
  const auto total = static_cast<std::int64_t>(seconds * kRate);
  bool speaking = true;
  while (static_cast<std::int64_t>(s.samples.size()) < total) {
    const int ms = speaking ? burst_ms(rng) : pause_ms(rng);
    const auto begin = static_cast<std::int64_t>(s.samples.size());
    const std::int64_t n = std::min<std::int64_t>(ms * kRate / 1000, total - begin);
    for (std::int64_t i = 0; i < n; ++i) {
      s.samples.push_back(noise(rng) * (speaking ? 0.3f : 0.002f));
    }
    if (speaking) s.bursts.emplace_back(begin, begin + n);
    speaking = !speaking;
  }
  return s;
}

ChunkingOptions short_chunks() {
  ChunkingOptions o;
  o.min_ms = 2'000;
  o.target_ms = 3'000;
  o.max_ms = 4'000;
  return o;
}

void expect_contiguous(const std::vector<ChunkSpan>& chunks, std::int64_t total) {
  ASSERT_FALSE(chunks.empty());
  EXPECT_EQ(chunks.front().begin, 0);
  EXPECT_EQ(chunks.back().end, total);
  for (std::size_t i = 1; i < chunks.size(); ++i) EXPECT_EQ(chunks[i].begin, chunks[i - 1].end);
}

TEST(ChunkPlan, CutsOnlyInSilencesWithinMinAndMax) {
  for (unsigned seed = 1; seed <= 5; ++seed) {
    const Synthetic audio = speech_like(60, seed);
    const auto chunks = plan_chunks(audio.samples, short_chunks());
    expect_contiguous(chunks, static_cast<std::int64_t>(audio.samples.size()));
    EXPECT_GE(chunks.size(), 15u);
    for (std::size_t i = 0; i + 1 < chunks.size(); ++i) {
      const std::int64_t cut = chunks[i].end;
      for (const auto& [b, e] : audio.bursts) {
        EXPECT_FALSE(cut > b && cut < e) << "seed " << seed << ": cut at " << cut
                                         << " inside the burst [" << b << ", " << e << ")";
      }
      EXPECT_GE(chunks[i].duration_ms(), 2'000);
      EXPECT_LE(chunks[i].duration_ms(), 4'000);
    }
    EXPECT_LE(chunks.back().duration_ms(), 4'000);
  }
}

TEST(ChunkPlan, PrefersALongPauseNearTheTarget) {
  // 6 s of speech with a short pause at 2.5 s and a long one at 3.5 s: the long one wins.
  std::vector<float> samples(6 * kRate, 0.3f);
  auto quiet = [&](double from_s, double to_s) {
    for (auto i = static_cast<std::size_t>(from_s * kRate);
         i < static_cast<std::size_t>(to_s * kRate); ++i) {
      samples[i] = 0.0f;
    }
  };
  quiet(2.5, 2.7);
  quiet(3.4, 4.2);
  ChunkingOptions o = short_chunks();
  const auto chunks = plan_chunks(samples, o);
  ASSERT_EQ(chunks.size(), 2u);
  EXPECT_GE(chunks[0].end_ms(), 3'400);
  EXPECT_LE(chunks[0].end_ms(), 4'200);
}

TEST(ChunkPlan, WithoutSilenceCutsAtTheQuietestFrame) {
  // Constant "music" with one slightly quieter 30 ms frame at 3.3 s.
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> noise(-1.0f, 1.0f);
  std::vector<float> samples(7 * kRate);
  for (float& x : samples) x = noise(rng) * 0.3f;
  const std::size_t dip = 3300 * kRate / 1000;
  for (std::size_t i = dip; i < dip + 480; ++i) samples[i] *= 0.5f;
  const auto chunks = plan_chunks(samples, short_chunks());
  ASSERT_EQ(chunks.size(), 2u);
  EXPECT_EQ(chunks[0].end, static_cast<std::int64_t>(dip));
}

TEST(ChunkPlan, AllSilenceStillRespectsMax) {
  const std::vector<float> samples(20 * kRate, 0.0f);
  const auto chunks = plan_chunks(samples, short_chunks());
  expect_contiguous(chunks, static_cast<std::int64_t>(samples.size()));
  for (const ChunkSpan& c : chunks) EXPECT_LE(c.duration_ms(), 4'000);
}

TEST(ChunkPlan, AShortTailIsSplitIntoTwoPiecesWithinMax) {
  // max + 0.5 s: one chunk would be too long, a second one of 0.5 s too short.
  const Synthetic audio = speech_like(4.5, 3);
  const auto chunks = plan_chunks(audio.samples, short_chunks());
  ASSERT_EQ(chunks.size(), 2u);
  expect_contiguous(chunks, static_cast<std::int64_t>(audio.samples.size()));
  EXPECT_LE(chunks[0].duration_ms(), 4'000);
  EXPECT_LE(chunks[1].duration_ms(), 4'000);
}

TEST(ChunkPlan, ShortAudioIsOneChunkAndEmptyAudioNone) {
  const Synthetic audio = speech_like(3.7, 4);
  const auto chunks = plan_chunks(audio.samples, short_chunks());
  ASSERT_EQ(chunks.size(), 1u);
  EXPECT_EQ(chunks[0].end, static_cast<std::int64_t>(audio.samples.size()));
  EXPECT_TRUE(plan_chunks({}, short_chunks()).empty());
}

TEST(ChunkPlan, StreamingInBlocksGivesTheSamePlanAndReleasesChunksEarly) {
  const Synthetic audio = speech_like(40, 9);
  const auto whole = plan_chunks(audio.samples, short_chunks());
  ChunkPlanner planner(short_chunks());
  std::vector<ChunkSpan> streamed;
  std::mt19937 rng(1);
  std::uniform_int_distribution<std::size_t> block(1, 5000);
  std::size_t pos = 0;
  bool early = false;
  while (pos < audio.samples.size()) {
    const std::size_t n = std::min(block(rng), audio.samples.size() - pos);
    planner.add(std::span<const float>(audio.samples).subspan(pos, n));
    pos += n;
    for (const ChunkSpan& c : planner.take_ready()) {
      streamed.push_back(c);
      early = early || pos < audio.samples.size() / 2;
    }
  }
  for (const ChunkSpan& c : planner.finish()) streamed.push_back(c);
  EXPECT_EQ(streamed, whole);
  EXPECT_TRUE(early) << "chunks should be released while audio still streams in";
}

// Options for the balancing tests: short chunks, two workers, a 0.5 s window.
ChunkingOptions balanced(int parallel) {
  ChunkingOptions o = short_chunks();
  o.parallel = parallel;
  o.balance_min_ms = 1'000;
  o.balance_window_ms = 500;
  return o;
}

bool inside_a_burst(const Synthetic& audio, std::int64_t sample) {
  for (const auto& [b, e] : audio.bursts) {
    if (sample > b && sample < e) return true;
  }
  return false;
}

TEST(ChunkPlan, BalancedPlanGivesEveryWorkerTheSameNumberOfEqualChunks) {
  // 39 s at a 3 s target is 13 chunks: one worker of two would get 7. Balanced: 14 of ~2.8 s.
  // Short bursts, so that every (narrow) balancing window holds a pause.
  const Synthetic audio = speech_like(39, 21, 500);
  const auto total = static_cast<std::int64_t>(audio.samples.size());
  const auto unbalanced = plan_chunks(audio.samples, short_chunks());
  const auto chunks = plan_chunks(audio.samples, balanced(2));
  expect_contiguous(chunks, total);
  EXPECT_EQ(chunks.size() % 2, 0u) << "unbalanced plan had " << unbalanced.size();
  EXPECT_EQ(chunks.size(), 14u);
  const double mean = 39'000.0 / static_cast<double>(chunks.size());
  for (const ChunkSpan& c : chunks) {
    EXPECT_NEAR(static_cast<double>(c.duration_ms()), mean, 2 * 500 + 60) << c.start_ms();
    EXPECT_LE(c.duration_ms(), 4'000);
  }
  for (std::size_t i = 1; i < chunks.size(); ++i) {
    EXPECT_FALSE(inside_a_burst(audio, chunks[i].begin))
        << "cut inside speech at " << chunks[i].start_ms() << " ms";
  }
}

TEST(ChunkPlan, ShortAudioIsSplitForTwoWorkersWhenThePiecesAreLongEnough) {
  const Synthetic audio = speech_like(3.5, 22);  // one chunk unbalanced
  ASSERT_EQ(plan_chunks(audio.samples, short_chunks()).size(), 1u);
  const auto chunks = plan_chunks(audio.samples, balanced(2));
  ASSERT_EQ(chunks.size(), 2u);
  expect_contiguous(chunks, static_cast<std::int64_t>(audio.samples.size()));
  // Pieces shorter than balance_min_ms are not worth a request: 1.5 s stays whole.
  const Synthetic tiny = speech_like(1.5, 23);
  EXPECT_EQ(plan_chunks(tiny.samples, balanced(2)).size(), 1u);
}

TEST(ChunkPlan, AWrongExpectedLengthStillCoversTheAudioWithinMax) {
  const Synthetic audio = speech_like(30, 24);
  const auto total = static_cast<std::int64_t>(audio.samples.size());
  for (const Millis expected : {15'000, 45'000}) {  // half and one and a half times the truth
    ChunkPlanner planner(balanced(2));
    planner.add(std::span<const float>(audio.samples).first(100));
    planner.expect_total(expected);
    planner.add(std::span<const float>(audio.samples).subspan(100));
    std::vector<ChunkSpan> chunks = planner.take_ready();
    for (const ChunkSpan& c : planner.finish()) chunks.push_back(c);
    expect_contiguous(chunks, total);
    for (const ChunkSpan& c : chunks) {
      EXPECT_LE(c.duration_ms(), 4'000) << "expected " << expected;
      EXPECT_GT(c.duration_ms(), 0) << "expected " << expected;
    }
  }
}

TEST(ChunkPlan, ExpectedLengthAfterTheFirstCutChangesNothing) {
  const Synthetic audio = speech_like(20, 25);
  ChunkPlanner planner(balanced(2));
  planner.add(audio.samples);
  planner.expect_total(20'000);  // too late: cuts were already made
  std::vector<ChunkSpan> chunks = planner.take_ready();
  for (const ChunkSpan& c : planner.finish()) chunks.push_back(c);
  EXPECT_EQ(chunks, plan_chunks(audio.samples, short_chunks()));
}

TEST(ChunkPlan, InconsistentOptionsAreMadeConsistent) {
  ChunkingOptions o;
  o.min_ms = 5'000;
  o.max_ms = 1'000;  // below min: becomes min
  o.target_ms = 0;
  ChunkPlanner planner(o);
  EXPECT_EQ(planner.options().max_ms, 5'000);
  EXPECT_EQ(planner.options().target_ms, 5'000);
}

std::uint32_t u32(const std::string& s, std::size_t at) {
  std::uint32_t v = 0;
  for (int i = 3; i >= 0; --i)
    v = (v << 8) | static_cast<unsigned char>(s[at + static_cast<std::size_t>(i)]);
  return v;
}
std::uint16_t u16(const std::string& s, std::size_t at) {
  return static_cast<std::uint16_t>(static_cast<unsigned char>(s[at]) |
                                    (static_cast<unsigned char>(s[at + 1]) << 8));
}

TEST(Wav, HeaderMatchesTheEncoder) {
  const std::vector<float> samples{0.0f, 0.5f, -1.0f, 2.0f};
  const std::string wav = encode_wav(samples, 8000);
  EXPECT_EQ(wav.substr(0, 44), wav_header(samples.size(), 8000));
  EXPECT_EQ(to_pcm16(2.0f), 32767);
  EXPECT_EQ(to_pcm16(-1.0f), -32767);
  EXPECT_EQ(to_pcm16(std::numeric_limits<float>::quiet_NaN()), 0);
}

TEST(Wav, HeaderAndSamples) {
  const std::vector<float> samples{0.0f, 1.0f, -1.0f, 0.5f, 2.0f};
  const std::string wav = encode_wav(samples, 16000);
  ASSERT_EQ(wav.size(), 44u + 10u);
  EXPECT_EQ(wav.substr(0, 4), "RIFF");
  EXPECT_EQ(u32(wav, 4), 36u + 10u);
  EXPECT_EQ(wav.substr(8, 8), "WAVEfmt ");
  EXPECT_EQ(u32(wav, 16), 16u);
  EXPECT_EQ(u16(wav, 20), 1);  // PCM
  EXPECT_EQ(u16(wav, 22), 1);  // mono
  EXPECT_EQ(u32(wav, 24), 16000u);
  EXPECT_EQ(u32(wav, 28), 32000u);
  EXPECT_EQ(u16(wav, 32), 2);
  EXPECT_EQ(u16(wav, 34), 16);
  EXPECT_EQ(wav.substr(36, 4), "data");
  EXPECT_EQ(u32(wav, 40), 10u);
  EXPECT_EQ(static_cast<std::int16_t>(u16(wav, 44)), 0);
  EXPECT_EQ(static_cast<std::int16_t>(u16(wav, 46)), 32767);
  EXPECT_EQ(static_cast<std::int16_t>(u16(wav, 48)), -32767);
  EXPECT_EQ(static_cast<std::int16_t>(u16(wav, 50)), 16384);
  EXPECT_EQ(static_cast<std::int16_t>(u16(wav, 52)), 32767);  // clipped
}

}  // namespace
}  // namespace hark::asr
