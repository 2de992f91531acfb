#include "llm/chat.hpp"

#include <gtest/gtest.h>

#include "llm/openai_chat.hpp"

namespace hark::llm {
namespace {

TEST(JsonObjectIn, AWholeReplyIsTheObject) {
  auto got = json_object_in(R"({"title": "A", "takeaways": ["x"]})");
  ASSERT_TRUE(got);
  EXPECT_EQ(*got, R"({"title": "A", "takeaways": ["x"]})");
}

TEST(JsonObjectIn, FindsTheObjectInACodeFenceOrAfterAPreamble) {
  auto fenced = json_object_in("```json\n{\"title\": \"A\"}\n```\n");
  ASSERT_TRUE(fenced);
  EXPECT_EQ(*fenced, R"({"title": "A"})");
  auto preamble =
      json_object_in("Sure! Here is the JSON you asked for: {\"a\": {\"b\": 1}} Enjoy.");
  ASSERT_TRUE(preamble);
  EXPECT_EQ(*preamble, R"({"a": {"b": 1}})");
}

TEST(JsonObjectIn, BracesInsideStringsDoNotCount) {
  auto got = json_object_in(R"(x {"q": "a } and \" { b"} y)");
  ASSERT_TRUE(got);
  EXPECT_EQ(*got, R"({"q": "a } and \" { b"})");
}

TEST(JsonObjectIn, AnUnclosedObjectIsAnError) {
  // A reply cut off at max_tokens.
  auto got = json_object_in(R"({"title": "A", "summary": "the model ran out of)");
  ASSERT_FALSE(got);
  EXPECT_EQ(got.error().code, ErrorCode::InvalidInput);
  EXPECT_FALSE(json_object_in("I'm sorry, I can't help with that."));
  EXPECT_FALSE(json_object_in(""));
}

TEST(JsonObjectIn, AStrayBraceInThePreambleIsSkipped) {
  auto got = json_object_in("use {braces to start: {\"a\": 1}");
  ASSERT_TRUE(got);
  EXPECT_EQ(*got, "{\"a\": 1}");
  auto only = json_object_in("a { b { \"a\": 1 }");
  ASSERT_TRUE(only);
  EXPECT_EQ(*only, "{ \"a\": 1 }");
}

TEST(RepairJson, FixesWhatSmallModelsGetWrongInsideStrings) {
  EXPECT_EQ(repair_json(R"({"t": "it\'s"})"), R"({"t": "it's"})");
  EXPECT_EQ(repair_json("{\"t\": \"a\nb\tc\"}"), R"({"t": "a\nb\tc"})");
  // Valid escapes and text outside strings stay as they were.
  EXPECT_EQ(repair_json(R"({"t": "say \"hi\" \\ \u00e9"}
)"),
            R"({"t": "say \"hi\" \\ \u00e9"}
)");
}

TEST(ChatCompletionsUrl, AppendsToTheApiBase) {
  EXPECT_EQ(chat_completions_url("http://127.0.0.1:8931/v1"),
            "http://127.0.0.1:8931/v1/chat/completions");
  EXPECT_EQ(chat_completions_url(" http://localhost:11434/v1/ "),
            "http://localhost:11434/v1/chat/completions");
  EXPECT_EQ(chat_completions_url("http://localhost:11434"),
            "http://localhost:11434/v1/chat/completions");
  EXPECT_EQ(chat_completions_url("https://example.org/openai/v1"),
            "https://example.org/openai/v1/chat/completions");
  EXPECT_EQ(chat_completions_url("https://api.openai.com/v1/chat/completions"),
            "https://api.openai.com/v1/chat/completions");
}

TEST(ReplyFormat, Names) {
  EXPECT_EQ(to_string(ReplyFormat::JsonSchema), "json_schema");
  EXPECT_EQ(to_string(ReplyFormat::JsonObject), "json_object");
  EXPECT_EQ(to_string(ReplyFormat::Text), "text");
}

}  // namespace
}  // namespace hark::llm
