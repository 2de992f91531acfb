#include "core/time.hpp"

#include <gtest/gtest.h>

namespace hark {
namespace {

constexpr Millis kJun10_2003_04h = 1055217600000;  // 2003-06-10T04:00:00Z

TEST(ParseDate, Rfc822Variants) {
  EXPECT_EQ(parse_date("Tue, 10 Jun 2003 04:00:00 GMT"), kJun10_2003_04h);
  EXPECT_EQ(parse_date("Tue, 10 Jun 2003 04:00:00 +0000"), kJun10_2003_04h);
  EXPECT_EQ(parse_date("Tue, 10 Jun 2003 00:00:00 -0400"), kJun10_2003_04h);
  EXPECT_EQ(parse_date("Tue, 10 Jun 2003 00:00:00 EDT"), kJun10_2003_04h);
  EXPECT_EQ(parse_date("10 Jun 2003 04:00:00 GMT"), kJun10_2003_04h);
  EXPECT_EQ(parse_date("Tuesday, 10 June 2003 04:00 GMT"), kJun10_2003_04h);
  EXPECT_EQ(parse_date("Tue, 10 Jun 03 04:00:00 GMT"), kJun10_2003_04h);
  EXPECT_EQ(parse_date("Tue, 10 Jun 2003 06:00:00 +02:00"), kJun10_2003_04h);
  EXPECT_EQ(parse_date("  Tue, 10 Jun 2003 04:00:00 GMT \n"), kJun10_2003_04h);
}

// Zone abbreviations met in real podcast feeds outside the US.
TEST(ParseDate, NonUsZoneNames) {
  EXPECT_EQ(parse_date("Tue, 10 Jun 2003 06:00:00 CEST"), kJun10_2003_04h);
  EXPECT_EQ(parse_date("Tue, 10 Jun 2003 14:00:00 AEST"), kJun10_2003_04h);
  EXPECT_EQ(parse_date("Tue, 10 Jun 2003 09:30:00 IST"), kJun10_2003_04h);
  EXPECT_EQ(parse_date("Tue, 10 Jun 2003 13:00:00 JST"), kJun10_2003_04h);
  EXPECT_EQ(parse_date("Tue, 10 Jun 2003 16:00:00 NZST"), kJun10_2003_04h);
  EXPECT_EQ(parse_date("Mon, 09 Jun 2003 18:00:00 HST"), kJun10_2003_04h);
  EXPECT_FALSE(parse_date("Tue, 10 Jun 2003 04:00:00 XYZT"));
}

TEST(ParseDate, Iso8601Variants) {
  EXPECT_EQ(parse_date("2003-06-10T04:00:00Z"), kJun10_2003_04h);
  EXPECT_EQ(parse_date("2003-06-10T06:00:00+02:00"), kJun10_2003_04h);
  EXPECT_EQ(parse_date("2003-06-10T04:00:00.250Z"), kJun10_2003_04h + 250);
  EXPECT_EQ(parse_date("2003-06-10"), kJun10_2003_04h - 4 * 3600 * 1000);
}

TEST(ParseDate, GarbageIsRejected) {
  EXPECT_FALSE(parse_date(""));
  EXPECT_FALSE(parse_date("yesterday"));
  EXPECT_FALSE(parse_date("Tue, 99 Foo 2003"));
  EXPECT_FALSE(parse_date("2003-13-10T00:00:00Z"));
}

TEST(FormatIso8601, Utc) {
  EXPECT_EQ(format_iso8601(kJun10_2003_04h), "2003-06-10T04:00:00Z");
}

TEST(ParseDuration, AllNotations) {
  EXPECT_EQ(parse_duration("3600"), 3600000);
  EXPECT_EQ(parse_duration("90.5"), 90500);
  EXPECT_EQ(parse_duration("12:34"), (12 * 60 + 34) * 1000);
  EXPECT_EQ(parse_duration("1:02:03"), (3600 + 2 * 60 + 3) * 1000);
  EXPECT_EQ(parse_duration("01:02:03.5"), (3600 + 2 * 60 + 3) * 1000 + 500);
  EXPECT_FALSE(parse_duration(""));
  EXPECT_FALSE(parse_duration("abc"));
  EXPECT_FALSE(parse_duration("1:2:3:4"));
  EXPECT_FALSE(parse_duration("-5"));
}

TEST(FormatClock, HoursOnlyWhenNeeded) {
  EXPECT_EQ(format_clock(0), "0:00");
  EXPECT_EQ(format_clock(125000), "2:05");
  EXPECT_EQ(format_clock(3723000), "1:02:03");
}

}  // namespace
}  // namespace hark
