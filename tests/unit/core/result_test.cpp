#include "core/result.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace hark {
namespace {

Result<int> parse_positive(int v) {
  if (v <= 0) return invalid_input("must be positive");
  return v;
}

Status chain(int v) {
  HARK_TRY(parse_positive(v));
  return ok();
}

TEST(Result, CarriesValueOrError) {
  auto good = parse_positive(3);
  ASSERT_TRUE(good);
  EXPECT_EQ(*good, 3);
  auto bad = parse_positive(-1);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::InvalidInput);
  EXPECT_EQ(bad.value_or(7), 7);
}

TEST(Result, TryPropagatesErrors) {
  EXPECT_TRUE(chain(1));
  auto s = chain(0);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().message, "must be positive");
}

TEST(Result, MoveOnlyValues) {
  Result<std::unique_ptr<int>> r = std::make_unique<int>(5);
  ASSERT_TRUE(r);
  auto p = std::move(r).value();
  EXPECT_EQ(*p, 5);
}

TEST(Error, WithContextPrefixesMessage) {
  const auto e = unavailable("timed out").with_context("fetching https://x.test/feed");
  EXPECT_EQ(e.message, "fetching https://x.test/feed: timed out");
  EXPECT_EQ(e.code, ErrorCode::Unavailable);
}

}  // namespace
}  // namespace hark
