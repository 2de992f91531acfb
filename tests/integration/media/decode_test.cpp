// media::probe / decode / waveform_peaks / cut / read_embedded_chapters on real audio files
// made at test time with the ffmpeg program (which hark itself never runs).
#include "media/decode.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <spawn.h>
#include <sys/wait.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "media/audio_file.hpp"
#include "media/cut.hpp"
#include "temp_dir.hpp"

extern char** environ;

namespace hark::media {
namespace {

namespace fs = std::filesystem;
using hark::testing::read_file;
using hark::testing::TempDir;
using hark::testing::write_file;

// Runs a program (no shell) with stdout captured; returns its output, or "" plus a test
// failure when it exits non-zero.
std::string run(const std::vector<std::string>& args, const fs::path& out_file) {
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, out_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  pid_t pid = 0;
  const int rc = ::posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  int status = 0;
  if (rc != 0 || ::waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
      WEXITSTATUS(status) != 0) {
    ADD_FAILURE() << args[0] << " failed: " << args.back();
    return "";
  }
  return read_file(out_file);
}

// The suite's input files, made once: ffmpeg takes ~50 ms per file.
class DecodeTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { dir_ = std::make_unique<TempDir>(); }
  static void TearDownTestSuite() { dir_.reset(); }

  // Makes `name` from an lavfi source expression with extra output options, once.
  static fs::path make(const std::string& name, const std::string& source,
                       std::vector<std::string> output_options = {}) {
    const fs::path path = *dir_ / name;
    if (fs::exists(path)) return path;
    std::vector<std::string> args = {"ffmpeg", "-hide_banner", "-loglevel", "error", "-y",
                                     "-f",     "lavfi",        "-i",        source};
    args.insert(args.end(), output_options.begin(), output_options.end());
    args.push_back(path.string());
    run(args, *dir_ / "ffmpeg.out");
    return path;
  }

  // 3 s of a 1 kHz tone at half scale.
  static fs::path tone(const std::string& name, int rate, int channels,
                       std::vector<std::string> options = {}) {
    options.insert(options.begin(), {"-ac", std::to_string(channels)});
    return make(name, "aevalsrc=0.5*sin(2*PI*1000*t):s=" + std::to_string(rate) + ":d=3", options);
  }

  // 2 s of silence, then 2 s of a 1 kHz tone: the onset marks a known time.
  static fs::path onset(const std::string& name) {
    return make(name, "aevalsrc=if(gte(t\\,2)\\,0.5*sin(2*PI*1000*t)\\,0):s=44100:d=4");
  }

  static std::string ffprobe(const fs::path& path) {
    return run({"ffprobe", "-hide_banner", "-loglevel", "error", "-show_format", "-show_streams",
                path.string()},
               *dir_ / "ffprobe.out");
  }

  static inline std::unique_ptr<TempDir> dir_;
};

std::vector<float> decode_ok(const fs::path& path, const DecodeOptions& options = {}) {
  auto audio = decode_all(path, options);
  EXPECT_TRUE(audio.has_value()) << (audio ? "" : audio.error().message);
  return audio ? audio->samples : std::vector<float>{};
}

// Sign changes: a 1 kHz tone has 2,000 per second whatever the sample rate.
std::size_t zero_crossings(const std::vector<float>& samples) {
  std::size_t count = 0;
  for (std::size_t i = 1; i < samples.size(); ++i) {
    if ((samples[i - 1] < 0) != (samples[i] < 0)) ++count;
  }
  return count;
}

// The time (ms at 16 kHz) of the first sample louder than 0.1, or -1.
double onset_ms(const std::vector<float>& samples) {
  auto it =
      std::find_if(samples.begin(), samples.end(), [](float s) { return std::abs(s) > 0.1F; });
  return it == samples.end() ? -1.0 : static_cast<double>(it - samples.begin()) / 16.0;
}

double rms(const float* begin, const float* end) {
  double sum = 0;
  for (const float* p = begin; p != end; ++p) sum += double{*p} * *p;
  return std::sqrt(sum / static_cast<double>(end - begin));
}

struct FormatCase {
  std::string file;
  int rate;
  int channels;
  std::vector<std::string> options;
  std::string codec;
};

TEST_F(DecodeTest, EveryFormatDecodesTo16kHzMonoWithTheToneIntact) {
  const std::vector<FormatCase> cases = {
      {"tone.mp3", 44100, 2, {"-c:a", "libmp3lame", "-b:a", "128k"}, "mp3"},
      {"tone.m4a", 48000, 2, {"-c:a", "aac"}, "aac"},
      {"tone.opus", 48000, 1, {"-c:a", "libopus"}, "opus"},
      {"tone.ogg", 44100, 2, {"-c:a", "libvorbis"}, "vorbis"},
      {"tone.wav", 44100, 2, {}, "pcm_s16le"},
      {"tone.flac", 48000, 1, {}, "flac"},
      {"tone22.mp3", 22050, 1, {"-c:a", "libmp3lame"}, "mp3"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.file);
    const fs::path path = tone(c.file, c.rate, c.channels, c.options);
    auto info = probe(path);
    ASSERT_TRUE(info.has_value()) << info.error().message;
    EXPECT_EQ(info->codec, c.codec);
    EXPECT_EQ(info->sample_rate, c.rate);
    EXPECT_EQ(info->channels, c.channels);
    ASSERT_TRUE(info->duration_ms.has_value());
    // MPEG-2 MP3 at 22.05 kHz states one 26 ms frame or two more than it holds.
    EXPECT_NEAR(static_cast<double>(*info->duration_ms), 3000, 60);

    const auto samples = decode_ok(path);
    // 3 s at 16 kHz, within about one codec frame (MP3: 26 ms, AAC: 21 ms, Opus: 20 ms).
    EXPECT_NEAR(static_cast<double>(samples.size()), 48000, 30 * 16);
    EXPECT_NEAR(static_cast<double>(zero_crossings(samples)), 6000, 60);
    const std::size_t n = samples.size();
    EXPECT_NEAR(rms(samples.data() + n / 4, samples.data() + 3 * n / 4), 0.5 / std::sqrt(2.0),
                0.05);
  }
}

TEST_F(DecodeTest, StereoOutputIsInterleavedAndOtherRatesWork) {
  const fs::path path = tone("tone.wav", 44100, 2);
  DecodeOptions options;
  options.channels = 2;
  options.sample_rate = 22050;
  const auto samples = decode_ok(path, options);
  EXPECT_NEAR(static_cast<double>(samples.size()), 3 * 22050 * 2, 4);
  EXPECT_EQ(samples.size() % 2, 0U);
  EXPECT_FLOAT_EQ(samples[1000], samples[1001]);  // the same tone on both channels
}

TEST_F(DecodeTest, SurroundSoundIsMixedDown) {
  const fs::path path = tone("tone51.flac", 48000, 6);
  auto info = probe(path);
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->channels, 6);
  const auto samples = decode_ok(path);
  EXPECT_NEAR(static_cast<double>(samples.size()), 48000, 2);
  EXPECT_NEAR(static_cast<double>(zero_crossings(samples)), 6000, 60);
}

TEST_F(DecodeTest, StartAndEndAreAccurateAfterASeek) {
  for (const std::string name : {"onset.wav", "onset.mp3"}) {
    SCOPED_TRACE(name);
    const fs::path path = onset(name);
    EXPECT_NEAR(onset_ms(decode_ok(path)), 2000, 20);

    DecodeOptions options;
    options.start_ms = 1900;
    auto samples = decode_ok(path, options);
    EXPECT_NEAR(onset_ms(samples), 100, 20);
    EXPECT_NEAR(static_cast<double>(samples.size()), 2100 * 16, 30 * 16);

    options.start_ms = 2500;
    options.end_ms = 3000;
    samples = decode_ok(path, options);
    EXPECT_EQ(samples.size(), 500U * 16);
    EXPECT_NEAR(onset_ms(samples), 0, 1);

    options.start_ms = 0;
    options.end_ms = 2100;
    samples = decode_ok(path, options);
    EXPECT_EQ(samples.size(), 2100U * 16);
    EXPECT_NEAR(onset_ms(samples), 2000, 20);
  }
}

TEST_F(DecodeTest, ProgressIsReportedAndCancellationStopsDecoding) {
  const fs::path path = tone("tone.flac", 48000, 1);
  std::vector<Millis> positions;
  DecodeOptions options;
  options.progress = [&](Millis at, std::optional<Millis> total) {
    positions.push_back(at);
    EXPECT_TRUE(total.has_value());
  };
  ASSERT_TRUE(decode(path, options, [](std::span<const float>) {}).has_value());
  ASSERT_FALSE(positions.empty());
  EXPECT_NEAR(static_cast<double>(positions.back()), 3000, 30);

  std::atomic<bool> cancel{false};
  options.cancel = &cancel;
  std::size_t received = 0;
  auto result = decode(path, options, [&](std::span<const float> block) {
    received += block.size();
    cancel = true;
  });
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, ErrorCode::Cancelled);
  EXPECT_GT(received, 0U);
  EXPECT_LT(received, 48000U / 2);
}

TEST_F(DecodeTest, WaveformPeaksFollowTheSignal) {
  auto silence = waveform_peaks(make("silence.mp3", "anullsrc=r=44100:cl=mono:d=3"), 1000);
  ASSERT_TRUE(silence.has_value()) << silence.error().message;
  ASSERT_EQ(silence->size(), 1000U);
  for (const auto& [low, high] : *silence) {
    EXPECT_NEAR(low, 0.0F, 1e-3F);
    EXPECT_NEAR(high, 0.0F, 1e-3F);
  }

  auto peaks = waveform_peaks(onset("onset.mp3"), 400);
  ASSERT_TRUE(peaks.has_value()) << peaks.error().message;
  ASSERT_EQ(peaks->size(), 400U);
  // Silence for the first half, a half-scale tone for the second (one bucket is 10 ms).
  for (std::size_t i = 0; i < 195; ++i) EXPECT_LT((*peaks)[i].second, 0.01F) << i;
  for (std::size_t i = 205; i < 400; ++i) {
    EXPECT_NEAR((*peaks)[i].second, 0.5F, 0.06F) << i;
    EXPECT_NEAR((*peaks)[i].first, -0.5F, 0.06F) << i;
  }
  EXPECT_FALSE(waveform_peaks(onset("onset.mp3"), 0).has_value());
}

TEST_F(DecodeTest, CutWritesTheRangeWithTagsInEveryFormat) {
  const fs::path source = onset("onset.mp3");
  for (const std::string ext : {".mp3", ".m4a", ".aac", ".wav", ".flac", ".opus", ".ogg"}) {
    SCOPED_TRACE(ext);
    const fs::path out = *dir_ / ("clip" + ext);
    CutOptions options;
    options.tags = {{"title", "A Moment"}, {"artist", "Hark Tests"}, {"album", "Snips"}};
    const Status status = cut(source, 1500, 3000, out, options);
    ASSERT_TRUE(status.has_value()) << status.error().message;

    auto info = probe(out);
    ASSERT_TRUE(info.has_value()) << info.error().message;
    ASSERT_TRUE(info->duration_ms.has_value());
    const std::string report = ffprobe(out);
    if (ext != ".aac") {  // ADTS has no header holding a duration; FFmpeg estimates it
      EXPECT_NEAR(static_cast<double>(*info->duration_ms), 1500, 50);
      const auto at = report.find("\nduration=");
      ASSERT_NE(at, std::string::npos) << report;
      EXPECT_NEAR(std::stod(report.substr(at + 10)), 1.5, 0.05) << report;
      EXPECT_NE(report.find("title=A Moment"), std::string::npos) << report;
      EXPECT_NE(report.find("artist=Hark Tests"), std::string::npos) << report;
      EXPECT_NE(report.find("album=Snips"), std::string::npos) << report;
    }
    // The content is the range: the tone starts 500 ms in, and the whole clip decodes. ADTS
    // cannot state the AAC encoder's priming (1024 samples), so decoders play it as silence.
    const double priming_ms = ext == ".aac" ? 1024 * 1000.0 / 44100 : 0;
    const auto samples = decode_ok(out);
    EXPECT_NEAR(onset_ms(samples), 500 + priming_ms, 20);
    EXPECT_NEAR(static_cast<double>(samples.size()), (1500 + priming_ms) * 16, 30 * 16);
  }
  // Nothing but the clips is left in the directory: temporary files are renamed or removed.
  for (const auto& entry : fs::directory_iterator(dir_->path())) {
    EXPECT_NE(entry.path().filename().string().front(), '.') << entry.path();
  }
}

TEST_F(DecodeTest, CutFadesInAndOut) {
  const fs::path out = *dir_ / "faded.wav";
  CutOptions options;
  options.fade_ms = 200;
  ASSERT_TRUE(cut(tone("tone.wav", 44100, 2), 500, 2500, out, options).has_value());
  const auto s = decode_ok(out);
  ASSERT_NEAR(static_cast<double>(s.size()), 2000 * 16, 2);
  const float* p = s.data();
  const double middle = rms(p + 16000, p + 16160);
  EXPECT_NEAR(middle, 0.5 / std::sqrt(2.0), 0.02);
  EXPECT_LT(rms(p, p + 160), middle * 0.06);                         // first 10 ms
  EXPECT_NEAR(rms(p + 1600 - 80, p + 1600 + 80), middle / 2, 0.03);  // 100 ms: half way
  EXPECT_LT(rms(p + s.size() - 160, p + s.size()), middle * 0.06);   // last 10 ms
  EXPECT_NEAR(rms(p + 3200 + 160, p + 3200 + 320), middle, 0.02);    // after the fade
}

TEST_F(DecodeTest, CutRefusesUnknownFormatsAndBadRanges) {
  const fs::path source = tone("tone.wav", 44100, 2);
  auto status = cut(source, 0, 1000, *dir_ / "clip.xyz");
  ASSERT_FALSE(status.has_value());
  EXPECT_EQ(status.error().code, ErrorCode::InvalidInput);
  EXPECT_NE(status.error().message.find(".mp3"), std::string::npos);
  EXPECT_FALSE(cut(source, 1000, 1000, *dir_ / "clip2.wav").has_value());
  EXPECT_FALSE(fs::exists(*dir_ / "clip2.wav"));
}

TEST_F(DecodeTest, CutEmbedsCoverArtInMp3AndM4a) {
  // A JPEG made by ffmpeg (the sample podcast's PNG is covered by the export tests).
  const fs::path jpeg = make("cover.jpg", "color=c=red:s=64x48:d=1", {"-frames:v", "1"});
  const std::string bytes = read_file(jpeg);
  const auto size = cover_size(bytes);
  ASSERT_TRUE(size.has_value());
  EXPECT_EQ(size->width, 64);
  EXPECT_EQ(size->height, 48);
  EXPECT_FALSE(size->png);
  EXPECT_FALSE(cover_size("GIF89a....").has_value());
  EXPECT_FALSE(cover_size(bytes.substr(0, 20)).has_value());  // cut off before its frame

  for (const std::string ext : {".mp3", ".m4a", ".wav"}) {
    SCOPED_TRACE(ext);
    const fs::path out = *dir_ / ("covered" + ext);
    CutOptions options;
    options.cover = bytes;
    const Status status = cut(onset("onset.mp3"), 1000, 2000, out, options);
    ASSERT_TRUE(status.has_value()) << status.error().message;
    const std::string report = ffprobe(out);
    if (ext == ".wav") {  // no place for a picture: left out
      EXPECT_EQ(report.find("codec_type=video"), std::string::npos) << report;
      continue;
    }
    EXPECT_NE(report.find("codec_name=mjpeg"), std::string::npos) << report;
    EXPECT_NE(report.find("DISPOSITION:attached_pic=1"), std::string::npos) << report;
    EXPECT_NE(report.find("width=64"), std::string::npos) << report;
  }
  CutOptions bad;
  bad.cover = "not an image";
  const Status refused = cut(onset("onset.mp3"), 1000, 2000, *dir_ / "bad-cover.mp3", bad);
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code, ErrorCode::InvalidInput);
  EXPECT_FALSE(fs::exists(*dir_ / "bad-cover.mp3"));
}

TEST_F(DecodeTest, EmbeddedChaptersFromId3AndMp4) {
  write_file(*dir_ / "chapters.txt",
             ";FFMETADATA1\ntitle=Chaptered\n"
             "[CHAPTER]\nTIMEBASE=1/1000\nSTART=0\nEND=1250\ntitle=Intro\n"
             "[CHAPTER]\nTIMEBASE=1/1000\nSTART=1250\nEND=2500\ntitle=Main topic\n"
             "[CHAPTER]\nTIMEBASE=1/1000\nSTART=2500\nEND=3000\ntitle=Outro \xC3\xA9t\xC3\xA9\n");
  const fs::path wav = tone("tone.wav", 44100, 2);
  for (const std::string name : {"chapters.mp3", "chapters.m4a"}) {
    SCOPED_TRACE(name);
    const fs::path path = *dir_ / name;
    run({"ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-i", wav.string(), "-i",
         (*dir_ / "chapters.txt").string(), "-map", "0:a", "-map_metadata", "1", "-map_chapters",
         "1", path.string()},
        *dir_ / "ffmpeg.out");
    auto chapters = read_embedded_chapters(path);
    ASSERT_TRUE(chapters.has_value()) << chapters.error().message;
    ASSERT_EQ(chapters->size(), 3U);
    const std::vector<std::string> titles = {"Intro", "Main topic", "Outro \xC3\xA9t\xC3\xA9"};
    const std::vector<Millis> starts = {0, 1250, 2500};
    const std::vector<Millis> ends = {1250, 2500, 3000};
    for (std::size_t i = 0; i < 3; ++i) {
      const Chapter& c = (*chapters)[i];
      EXPECT_EQ(c.title, titles[i]);
      EXPECT_NEAR(static_cast<double>(c.start_ms), static_cast<double>(starts[i]), 1);
      ASSERT_TRUE(c.end_ms.has_value());
      EXPECT_NEAR(static_cast<double>(*c.end_ms), static_cast<double>(ends[i]), 1);
      EXPECT_EQ(c.source, "embedded");
    }
  }
  auto none = read_embedded_chapters(wav);
  ASSERT_TRUE(none.has_value());
  EXPECT_TRUE(none->empty());
}

void expect_clear_error(const fs::path& path, ErrorCode code, const std::string& says) {
  SCOPED_TRACE(path.filename().string());
  auto info = probe(path);
  ASSERT_FALSE(info.has_value());
  EXPECT_EQ(info.error().code, code);
  EXPECT_NE(info.error().message.find(says), std::string::npos) << info.error().message;
  auto audio = decode_all(path, {});
  ASSERT_FALSE(audio.has_value());
  EXPECT_EQ(audio.error().code, code);
  EXPECT_NE(audio.error().message.find(says), std::string::npos) << audio.error().message;
  EXPECT_FALSE(waveform_peaks(path).has_value());
  EXPECT_FALSE(cut(path, 0, 1000, path.parent_path() / "never.wav").has_value());
  EXPECT_FALSE(read_embedded_chapters(path).has_value());
}

TEST_F(DecodeTest, FilesWithoutAudioGiveClearErrors) {
  write_file(*dir_ / "empty.mp3", "");
  expect_clear_error(*dir_ / "empty.mp3", ErrorCode::InvalidInput,
                     "cannot decode empty.mp3: the file is empty");

  std::string noise(64 * 1024, '\0');
  std::mt19937 random(7);
  for (auto& c : noise) c = static_cast<char>(random() & 0xFF);
  write_file(*dir_ / "noise.mp3", noise);
  expect_clear_error(*dir_ / "noise.mp3", ErrorCode::InvalidInput, "cannot decode noise.mp3: ");

  write_file(*dir_ / "page.mp3", "<!DOCTYPE html><html><body>404 Not Found</body></html>\n");
  expect_clear_error(*dir_ / "page.mp3", ErrorCode::InvalidInput,
                     "cannot decode page.mp3: Invalid data found when processing input (the file "
                     "may be corrupt or not audio)");

  expect_clear_error(*dir_ / "missing.mp3", ErrorCode::NotFound, "no such file");
  EXPECT_FALSE(fs::exists(*dir_ / "never.wav"));
}

TEST_F(DecodeTest, TruncatedMp3DecodesWhatIsThereAndSaysSo) {
  // 20 s at 128 kb/s: LAME's Info header states the full length, so the cut-off is detectable.
  const fs::path full = make("long.mp3", "sine=frequency=440:sample_rate=44100:duration=20",
                             {"-c:a", "libmp3lame", "-b:a", "128k"});
  const std::string bytes = read_file(full);
  write_file(*dir_ / "half.mp3", std::string_view(bytes).substr(0, bytes.size() / 2 + 333));

  auto audio = decode_all(*dir_ / "half.mp3", {});
  ASSERT_TRUE(audio.has_value()) << audio.error().message;
  EXPECT_NEAR(static_cast<double>(audio->report.decoded_ms), 10000, 300);
  EXPECT_TRUE(audio->report.truncated);
  ASSERT_FALSE(audio->report.warnings.empty());
  EXPECT_NE(audio->report.warnings[0].find("truncated"), std::string::npos)
      << audio->report.warnings[0];

  auto complete = decode_all(full, {});
  ASSERT_TRUE(complete.has_value());
  EXPECT_FALSE(complete->report.truncated);
  EXPECT_TRUE(complete->report.warnings.empty());
}

TEST_F(DecodeTest, DurationEstimatedFromBitRateIsFlagged) {
  const fs::path path = make("noxing.mp3", "sine=frequency=440:sample_rate=44100:duration=4",
                             {"-c:a", "libmp3lame", "-b:a", "64k", "-write_xing", "0"});
  auto info = probe(path);
  ASSERT_TRUE(info.has_value());
  EXPECT_TRUE(info->duration_estimated);
  ASSERT_TRUE(info->duration_ms.has_value());
  EXPECT_NEAR(static_cast<double>(*info->duration_ms), 4000, 100);
  auto wav = probe(tone("tone.wav", 44100, 2));
  ASSERT_TRUE(wav.has_value());
  EXPECT_FALSE(wav->duration_estimated);
}

TEST_F(DecodeTest, BadOptionsAndRangesPastTheEndAreErrors) {
  const fs::path path = tone("tone.wav", 44100, 2);
  DecodeOptions options;
  options.channels = 3;
  EXPECT_EQ(decode_all(path, options).error().code, ErrorCode::InvalidInput);
  options = {};
  options.sample_rate = 10;
  EXPECT_EQ(decode_all(path, options).error().code, ErrorCode::InvalidInput);
  options = {};
  options.start_ms = 5000;
  auto past = decode_all(path, options);
  ASSERT_FALSE(past.has_value());
  EXPECT_NE(past.error().message.find("nothing to decode"), std::string::npos)
      << past.error().message;
}

}  // namespace
}  // namespace hark::media
