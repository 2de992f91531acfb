// Range header interpretation (pure).
#include "server/range.hpp"

#include <gtest/gtest.h>

namespace hark::server {
namespace {

using Kind = RangeRequest::Kind;

TEST(Range, FirstBytesMiddleOpenEndedAndSuffix) {
  auto r = parse_range("bytes=0-99", 1000);
  EXPECT_EQ(r.kind, Kind::Partial);
  EXPECT_EQ(r.first, 0);
  EXPECT_EQ(r.last, 99);
  r = parse_range("bytes=500-599", 1000);
  EXPECT_EQ(r.first, 500);
  EXPECT_EQ(r.last, 599);
  r = parse_range("bytes=900-", 1000);
  EXPECT_EQ(r.first, 900);
  EXPECT_EQ(r.last, 999);
  r = parse_range("bytes=-100", 1000);
  EXPECT_EQ(r.first, 900);
  EXPECT_EQ(r.last, 999);
  r = parse_range("bytes=-5000", 1000);
  EXPECT_EQ(r.first, 0);
  EXPECT_EQ(r.last, 999);
  r = parse_range("bytes=990-2000", 1000);
  EXPECT_EQ(r.last, 999);
}

TEST(Range, Unsatisfiable) {
  EXPECT_EQ(parse_range("bytes=1000-", 1000).kind, Kind::Unsatisfiable);
  EXPECT_EQ(parse_range("bytes=5000-6000", 1000).kind, Kind::Unsatisfiable);
  EXPECT_EQ(parse_range("bytes=-0", 1000).kind, Kind::Unsatisfiable);
  EXPECT_EQ(parse_range("bytes=0-", 0).kind, Kind::Unsatisfiable);
}

TEST(Range, IgnoredHeadersServeEverything) {
  for (const char* h : {"", "items=0-1", "bytes=", "bytes=abc", "bytes=5-1", "bytes=0-1,5-6",
                        "bytes=--1", "bytes=1-2-3"})
    EXPECT_EQ(parse_range(h, 1000).kind, Kind::Full) << h;
}

}  // namespace
}  // namespace hark::server
