// Endpoint URLs under a user's base URL and the messages services put in error bodies.
#include "net/service_api.hpp"

#include <gtest/gtest.h>

#include "core/text.hpp"

namespace hark::net {
namespace {

TEST(OpenAiEndpointUrl, FollowsHowUsersWriteBaseUrls) {
  EXPECT_EQ(openai_endpoint_url("http://localhost:11434", "/chat/completions"),
            "http://localhost:11434/v1/chat/completions");
  EXPECT_EQ(openai_endpoint_url(" http://127.0.0.1:8931/v1/ ", "/chat/completions"),
            "http://127.0.0.1:8931/v1/chat/completions");
  EXPECT_EQ(openai_endpoint_url("https://api.example.com/openai/v1", "/embeddings"),
            "https://api.example.com/openai/v1/embeddings");
  EXPECT_EQ(openai_endpoint_url("http://h:1/v1/embeddings//", "/embeddings"),
            "http://h:1/v1/embeddings");
  EXPECT_EQ(openai_endpoint_url("localhost:8932", "/embeddings"), "localhost:8932/v1/embeddings");
}

TEST(ServiceMessage, ReadsTheShapesServicesAnswerWith) {
  EXPECT_EQ(service_message(R"({"error":{"message":"model not found","type":"x"}})"),
            "model not found");
  EXPECT_EQ(service_message(R"({"error":"The uploaded file is empty."})"),
            "The uploaded file is empty.");
  EXPECT_EQ(service_message(R"({"detail":[{"loc":["body"],"msg":"field required"}]})"),
            R"([{"loc":["body"],"msg":"field required"}])");
  EXPECT_EQ(service_message(R"({"message":"rate limited"})"), "rate limited");
  EXPECT_EQ(service_message("<html>\n  <h1>502 Bad   Gateway</h1>\n</html>"),
            "<html> <h1>502 Bad Gateway</h1> </html>");
  EXPECT_EQ(service_message(""), "");
}

TEST(ServiceMessage, IsShortAndValidUtf8WhateverTheBody) {
  const std::string long_body(5000, 'x');
  EXPECT_LE(service_message(long_body).size(), 300U);
  const std::string long_error = R"({"error":")" + std::string(1000, 'y') + R"("})";
  EXPECT_LE(service_message(long_error).size(), 300U);
  // Cut inside a two-byte character: never half of one.
  std::string accents;
  for (int i = 0; i < 400; ++i) accents += "\xc3\xa9";
  const std::string cut = service_message(accents);
  EXPECT_LE(cut.size(), 300U);
  EXPECT_EQ(text::sanitize_utf8(cut), cut);  // already valid: nothing to replace
  EXPECT_TRUE(cut.ends_with("\xc3\xa9\xe2\x80\xa6")) << "a whole character, then an ellipsis";
  EXPECT_EQ(service_message("bad \xff byte").find('\xff'), std::string::npos);
}

}  // namespace
}  // namespace hark::net
