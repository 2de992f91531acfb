#include <gtest/gtest.h>

#include <string>

#include "media/download.hpp"

namespace hark::media {
namespace {

std::string bytes(std::initializer_list<unsigned char> b) {
  return std::string(b.begin(), b.end());
}

TEST(SniffMediaType, RecognisesContainersByMagicBytes) {
  EXPECT_EQ(sniff_media_type(bytes({'I', 'D', '3', 0x04, 0x00, 0x00})), "audio/mpeg");
  // MPEG-1 Layer III, 128 kbit/s, 44.1 kHz frame header.
  EXPECT_EQ(sniff_media_type(bytes({0xFF, 0xFB, 0x90, 0x64})), "audio/mpeg");
  // MPEG-2 Layer III (0xFFF3), 64 kbit/s, 22.05 kHz.
  EXPECT_EQ(sniff_media_type(bytes({0xFF, 0xF3, 0x80, 0xC4})), "audio/mpeg");
  // ADTS AAC-LC, 44.1 kHz.
  EXPECT_EQ(sniff_media_type(bytes({0xFF, 0xF1, 0x50, 0x80, 0x02, 0x1F, 0xFC})), "audio/aac");
  EXPECT_EQ(sniff_media_type(bytes({0, 0, 0, 0x20, 'f', 't', 'y', 'p', 'M', '4', 'A', ' '})),
            "audio/mp4");
  EXPECT_EQ(sniff_media_type(bytes({0, 0, 0, 0x18, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm'})),
            "audio/mp4");
  EXPECT_EQ(sniff_media_type("OggS\x00\x02" + std::string(20, '\0')), "audio/ogg");
  EXPECT_EQ(sniff_media_type(bytes(
                {'R', 'I', 'F', 'F', 0x24, 0x08, 0, 0, 'W', 'A', 'V', 'E', 'f', 'm', 't', ' '})),
            "audio/wav");
  EXPECT_EQ(sniff_media_type(bytes({'f', 'L', 'a', 'C', 0x00, 0x00, 0x00, 0x22})), "audio/flac");
  EXPECT_EQ(sniff_media_type(bytes({0x1A, 0x45, 0xDF, 0xA3, 0x9F, 0x42, 0x86, 0x81})),
            "audio/webm");
}

TEST(SniffMediaType, RefusesTextAndLookalikes) {
  EXPECT_EQ(sniff_media_type("<!DOCTYPE html><html><body>Not found</body></html>"), "");
  EXPECT_EQ(sniff_media_type("{\"error\": \"expired token\"}"), "");
  EXPECT_EQ(sniff_media_type("Access denied"), "");
  EXPECT_EQ(sniff_media_type(""), "");
  // RIFF but not WAVE (an AVI), and a bare ftyp without a box size in front.
  EXPECT_EQ(sniff_media_type(bytes({'R', 'I', 'F', 'F', 0, 0, 0, 0, 'A', 'V', 'I', ' '})), "");
  EXPECT_EQ(sniff_media_type("ftyp"), "");
  // 0xFF followed by bytes that fail the frame-header checks (reserved layer, bad rate).
  EXPECT_EQ(sniff_media_type(bytes({0xFF, 0xE0, 0x00, 0x00})), "");  // layer 00, version 2.5
  EXPECT_EQ(sniff_media_type(bytes({0xFF, 0xFB, 0xF0, 0x00})), "");  // bitrate index 15
  EXPECT_EQ(sniff_media_type(bytes({0xFF, 0xFB, 0x9C, 0x00})), "");  // sample rate index 3
  EXPECT_EQ(sniff_media_type(bytes({0xFF, 0x00, 0x00, 0x00})), "");
}

}  // namespace
}  // namespace hark::media
