// In-memory WAV encoding for uploads: 16-bit PCM is small (half of float) and every
// speech-to-text server accepts it without a conversion step.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

namespace hark::asr {

// A RIFF/WAVE file (44-byte header, PCM format 1, 16 bits, mono) holding `samples` in
// [-1, 1] (values outside are clipped) at `sample_rate`. Pure; thread-safe.
std::string encode_wav(std::span<const float> samples, int sample_rate = 16000);

// The 44-byte header of such a file holding `samples` 16-bit samples; the caller appends them
// (little-endian). Pure; thread-safe.
std::string wav_header(std::size_t samples, int sample_rate = 16000);

// A sample in [-1, 1] (clipped; NaN and infinities are 0) as a 16-bit PCM value.
std::int16_t to_pcm16(float sample);

}  // namespace hark::asr
