// In-memory WAV encoding for uploads: 16-bit PCM is small (half of float) and every
// speech-to-text server accepts it without a conversion step.
#pragma once

#include <span>
#include <string>

namespace hark::asr {

// A RIFF/WAVE file (44-byte header, PCM format 1, 16 bits, mono) holding `samples` in
// [-1, 1] (values outside are clipped) at `sample_rate`. Pure; thread-safe.
std::string encode_wav(std::span<const float> samples, int sample_rate = 16000);

}  // namespace hark::asr
