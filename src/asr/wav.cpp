#include "asr/wav.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace hark::asr {
namespace {

void put_u32(std::string& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}
void put_u16(std::string& out, std::uint16_t v) {
  out.push_back(static_cast<char>(v & 0xFF));
  out.push_back(static_cast<char>((v >> 8) & 0xFF));
}

}  // namespace

std::string wav_header(std::size_t samples, int sample_rate) {
  constexpr std::uint16_t kChannels = 1;
  constexpr std::uint16_t kBits = 16;
  const auto data_bytes = static_cast<std::uint32_t>(samples * 2);
  const auto rate = static_cast<std::uint32_t>(sample_rate);
  std::string out;
  out.reserve(44 + data_bytes);
  out += "RIFF";
  put_u32(out, 36 + data_bytes);
  out += "WAVE";
  out += "fmt ";
  put_u32(out, 16);
  put_u16(out, 1);  // PCM
  put_u16(out, kChannels);
  put_u32(out, rate);
  put_u32(out, rate * kChannels * kBits / 8);  // byte rate
  put_u16(out, kChannels * kBits / 8);         // block align
  put_u16(out, kBits);
  out += "data";
  put_u32(out, data_bytes);
  return out;
}

std::int16_t to_pcm16(float sample) {
  const float clipped = std::isfinite(sample) ? std::clamp(sample, -1.0f, 1.0f) : 0.0f;
  return static_cast<std::int16_t>(std::lrint(clipped * 32767.0f));
}

std::string encode_wav(std::span<const float> samples, int sample_rate) {
  std::string out = wav_header(samples.size(), sample_rate);
  for (const float x : samples) put_u16(out, static_cast<std::uint16_t>(to_pcm16(x)));
  return out;
}

}  // namespace hark::asr
