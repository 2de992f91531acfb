// OpenAiChat against real HTTP servers on loopback that answer as OpenAI-compatible servers
// do (the documented chat completion and error shapes), including the ways they fail.
#include "llm/openai_chat.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "loopback_server.hpp"
#include "net/http_client.hpp"

namespace hark::llm {
namespace {

using hark::testing::LoopbackServer;
using hark::testing::ServerRequest;
using hark::testing::ServerResponse;
using nlohmann::json;
using namespace std::chrono_literals;

bool contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

ServerResponse completion(const std::string& content, const std::string& finish = "stop") {
  json body = {{"id", "chatcmpl-1"},
               {"object", "chat.completion"},
               {"model", "tiny-model"},
               {"choices",
                {{{"index", 0},
                  {"message", {{"role", "assistant"}, {"content", content}}},
                  {"finish_reason", finish}}}},
               {"usage", {{"prompt_tokens", 12}, {"completion_tokens", 5}}}};
  return {200, {}, "application/json", body.dump()};
}

ServerResponse error_response(int status, const std::string& message, const std::string& type) {
  json body = {{"error", {{"message", message}, {"type", type}, {"param", nullptr}}}};
  return {status, {}, "application/json", body.dump()};
}

constexpr const char* kSchema =
    R"({"type":"object","properties":{"title":{"type":"string"}},"required":["title"]})";

ChatRequest json_request() {
  ChatRequest r;
  r.messages = {{"system", "Reply with JSON."}, {"user", "Hello"}};
  r.format = ReplyFormat::JsonSchema;
  r.schema_name = "snip";
  r.json_schema = kSchema;
  r.max_tokens = 50;
  return r;
}

struct Fixture {
  LoopbackServer server;
  std::unique_ptr<net::HttpClient> http =
      net::make_http_client(net::Policy{.allow_private_networks = true});
  std::vector<Millis> slept;

  OpenAiChat chat(std::string key = "", Millis timeout_ms = 5000, int attempts = 3) {
    ChatEndpoint e{server.url("/v1"), "tiny-model", std::move(key), timeout_ms, "hark.toml [llm]"};
    RetryOptions retry;
    retry.max_attempts = attempts;
    retry.sleep = [this](Millis ms) { slept.push_back(ms); };
    return OpenAiChat(*http, e, retry);
  }
  ~Fixture() { http.reset(); }
};

TEST(OpenAiChat, SendsTheDocumentedRequestAndReadsTheReply) {
  Fixture f;
  f.server.on("/v1/chat/completions",
              [](const ServerRequest&) { return completion(R"({"title": "Bread"})"); });
  auto chat = f.chat("sk-test");
  auto reply = chat.chat(json_request());
  ASSERT_TRUE(reply) << reply.error().message;
  EXPECT_EQ(reply->content, R"({"title": "Bread"})");
  EXPECT_EQ(reply->finish_reason, "stop");
  EXPECT_EQ(reply->model, "tiny-model");
  EXPECT_EQ(reply->format, ReplyFormat::JsonSchema);
  EXPECT_EQ(reply->prompt_tokens, 12);
  EXPECT_EQ(reply->completion_tokens, 5);
  EXPECT_EQ(reply->attempts, 1);

  const auto requests = f.server.requests_to("/v1/chat/completions");
  ASSERT_EQ(requests.size(), 1U);
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_EQ(requests[0].header("authorization"), "Bearer sk-test");
  const auto sent = json::parse(requests[0].body);
  EXPECT_EQ(sent["model"], "tiny-model");
  EXPECT_EQ(sent["stream"], false);
  EXPECT_EQ(sent["max_tokens"], 50);
  ASSERT_EQ(sent["messages"].size(), 2U);
  EXPECT_EQ(sent["messages"][0]["role"], "system");
  EXPECT_EQ(sent["messages"][1]["content"], "Hello");
  EXPECT_EQ(sent["response_format"]["type"], "json_schema");
  EXPECT_EQ(sent["response_format"]["json_schema"]["name"], "snip");
  EXPECT_EQ(sent["response_format"]["json_schema"]["schema"]["required"][0], "title");
}

TEST(OpenAiChat, NoKeyMeansNoAuthorizationHeader) {
  Fixture f;
  f.server.on("/v1/chat/completions", [](const ServerRequest&) { return completion("hi"); });
  auto chat = f.chat();
  ChatRequest r;
  r.messages = {{"user", "Hello"}};
  ASSERT_TRUE(chat.chat(r));
  const auto requests = f.server.requests();
  ASSERT_EQ(requests.size(), 1U);
  EXPECT_EQ(requests[0].header("authorization"), "");
  EXPECT_FALSE(json::parse(requests[0].body).contains("response_format"));
}

TEST(OpenAiChat, RetriesServerErrorsWithBackoffThenSucceeds) {
  Fixture f;
  std::atomic<int> calls{0};
  f.server.on("/v1/chat/completions", [&](const ServerRequest&) {
    if (++calls <= 2) return error_response(500, "model is loading", "server_error");
    return completion(R"({"title": "Third time"})");
  });
  auto chat = f.chat();
  auto reply = chat.chat(json_request());
  ASSERT_TRUE(reply) << reply.error().message;
  EXPECT_EQ(reply->attempts, 3);
  EXPECT_EQ(calls.load(), 3);
  EXPECT_EQ(f.slept, (std::vector<Millis>{500, 1000}));
}

TEST(OpenAiChat, GivesUpAfterMaxAttemptsNamingTheServer) {
  Fixture f;
  f.server.on("/v1/chat/completions",
              [](const ServerRequest&) { return error_response(503, "busy", "server_error"); });
  auto chat = f.chat();
  auto reply = chat.chat(json_request());
  ASSERT_FALSE(reply);
  EXPECT_EQ(reply.error().code, ErrorCode::Unavailable);
  EXPECT_TRUE(contains(reply.error().message, f.server.url("/v1"))) << reply.error().message;
  EXPECT_TRUE(contains(reply.error().message, "HTTP 503: busy")) << reply.error().message;
  EXPECT_TRUE(contains(reply.error().message, "after 3 attempts")) << reply.error().message;
  EXPECT_EQ(f.server.requests().size(), 3U);
}

TEST(OpenAiChat, HonoursRetryAfterOn429WithinTheCap) {
  Fixture f;
  std::atomic<int> calls{0};
  f.server.on("/v1/chat/completions", [&](const ServerRequest&) {
    if (++calls == 1) {
      auto r = error_response(429, "rate limited", "rate_limit_error");
      r.headers.emplace_back("Retry-After", "2");
      return r;
    }
    if (calls == 2) {
      auto r = error_response(429, "rate limited", "rate_limit_error");
      r.headers.emplace_back("Retry-After", "3600");
      return r;
    }
    return completion("{}");
  });
  auto chat = f.chat();
  ASSERT_TRUE(chat.chat(json_request()));
  EXPECT_EQ(f.slept, (std::vector<Millis>{2000, 8000}));
}

TEST(OpenAiChat, AHangingServerTimesOutAndIsRetriedOnlyOnce) {
  Fixture f;
  f.server.on("/v1/chat/completions", [](const ServerRequest&) {
    auto r = completion("{}");
    r.delay = 5s;
    return r;
  });
  auto chat = f.chat("", 400, 5);
  const auto t0 = std::chrono::steady_clock::now();
  auto reply = chat.chat(json_request());
  const auto took = std::chrono::steady_clock::now() - t0;
  ASSERT_FALSE(reply);
  EXPECT_EQ(reply.error().code, ErrorCode::Unavailable);
  EXPECT_TRUE(contains(reply.error().message, "timed out")) << reply.error().message;
  EXPECT_EQ(f.server.requests().size(), 2U);
  EXPECT_LT(took, 4s);  // not the server's 5 s, let alone five of them
}

TEST(OpenAiChat, Unauthorized401NamesTheSettingAndIsNotRetried) {
  Fixture f;
  f.server.on("/v1/chat/completions", [](const ServerRequest&) {
    return error_response(401, "Incorrect API key provided", "invalid_request_error");
  });
  auto without_key = f.chat();
  auto reply = without_key.chat(json_request());
  ASSERT_FALSE(reply);
  EXPECT_EQ(reply.error().code, ErrorCode::Forbidden);
  const std::string& m = reply.error().message;
  EXPECT_TRUE(contains(m, "requires an API key")) << m;
  EXPECT_TRUE(contains(m, "api_key_env")) << m;
  EXPECT_TRUE(contains(m, "hark.toml [llm]")) << m;
  EXPECT_TRUE(contains(m, "Incorrect API key provided")) << m;
  EXPECT_EQ(f.server.requests().size(), 1U);

  auto with_key = f.chat("sk-wrong");
  auto refused = with_key.chat(json_request());
  ASSERT_FALSE(refused);
  EXPECT_TRUE(contains(refused.error().message, "refused the API key")) << refused.error().message;
  EXPECT_TRUE(f.slept.empty());
}

TEST(OpenAiChat, OtherClientErrorsAreNotRetried) {
  Fixture f;
  f.server.on("/v1/chat/completions", [](const ServerRequest&) {
    return error_response(404, "model 'tiny-model' not found", "not_found_error");
  });
  auto chat = f.chat();
  auto reply = chat.chat(json_request());
  ASSERT_FALSE(reply);
  EXPECT_EQ(reply.error().code, ErrorCode::InvalidInput);
  EXPECT_TRUE(contains(reply.error().message, "check hark.toml [llm] url and model"))
      << reply.error().message;
  EXPECT_EQ(f.server.requests().size(), 1U);
}

TEST(OpenAiChat, FallsBackToJsonObjectThenTextWhenTheServerRejectsResponseFormat) {
  Fixture f;
  f.server.on("/v1/chat/completions", [](const ServerRequest& request) {
    const auto body = json::parse(request.body);
    if (body.contains("response_format"))
      return error_response(400, "Unsupported response_format type", "invalid_request_error");
    return completion(R"(Here you go: {"title": "Plain"})");
  });
  auto chat = f.chat();
  auto reply = chat.chat(json_request());
  ASSERT_TRUE(reply) << reply.error().message;
  EXPECT_EQ(reply->format, ReplyFormat::Text);
  EXPECT_EQ(reply->attempts, 1);
  const auto requests = f.server.requests();
  ASSERT_EQ(requests.size(), 3U);
  EXPECT_EQ(json::parse(requests[0].body)["response_format"]["type"], "json_schema");
  EXPECT_EQ(json::parse(requests[1].body)["response_format"]["type"], "json_object");
  EXPECT_FALSE(json::parse(requests[2].body).contains("response_format"));

  // Remembered: the next call goes straight to what worked.
  ASSERT_TRUE(chat.chat(json_request()));
  EXPECT_EQ(f.server.requests().size(), 4U);
}

TEST(OpenAiChat, APromptTooLongIsNotBlamedOnTheFormat) {
  Fixture f;
  f.server.on("/v1/chat/completions", [](const ServerRequest&) {
    return error_response(400, "This model's maximum context length is 4096 tokens",
                          "invalid_request_error");
  });
  auto chat = f.chat();
  auto reply = chat.chat(json_request());
  ASSERT_FALSE(reply);
  EXPECT_EQ(reply.error().code, ErrorCode::InvalidInput);
  EXPECT_EQ(f.server.requests().size(), 1U);
}

TEST(OpenAiChat, ABodyThatIsNoChatCompletionIsUnavailable) {
  Fixture f;
  f.server.on("/v1/chat/completions", [](const ServerRequest&) {
    return ServerResponse{200, {}, "text/html", "<html>Welcome to nginx</html>"};
  });
  auto chat = f.chat();
  auto reply = chat.chat(json_request());
  ASSERT_FALSE(reply);
  EXPECT_EQ(reply.error().code, ErrorCode::Unavailable);
  EXPECT_TRUE(contains(reply.error().message, "did not answer with a chat completion"))
      << reply.error().message;
  EXPECT_EQ(f.server.requests().size(), 1U);
}

TEST(OpenAiChat, AClosedPortIsUnavailable) {
  auto http = net::make_http_client(net::Policy{.allow_private_networks = true});
  // Port 9 (discard): nothing listens there on a test machine.
  ChatEndpoint e{"http://127.0.0.1:9/v1", "m", "", 2000, "--llm"};
  RetryOptions retry;
  std::vector<Millis> slept;
  retry.sleep = [&](Millis ms) { slept.push_back(ms); };
  OpenAiChat chat(*http, e, retry);
  auto reply = chat.chat(json_request());
  ASSERT_FALSE(reply);
  EXPECT_EQ(reply.error().code, ErrorCode::Unavailable);
  EXPECT_TRUE(contains(reply.error().message, "http://127.0.0.1:9/v1")) << reply.error().message;
  EXPECT_EQ(slept.size(), 2U);  // retried: the service may be starting
}

TEST(OpenAiChat, AModelIsRequired) {
  Fixture f;
  ChatEndpoint e{f.server.url("/v1"), "", "", 1000, "HARK_LLM_URL"};
  OpenAiChat chat(*f.http, e);
  auto reply = chat.chat(json_request());
  ASSERT_FALSE(reply);
  EXPECT_EQ(reply.error().code, ErrorCode::InvalidInput);
  EXPECT_TRUE(contains(reply.error().message, "model")) << reply.error().message;
  EXPECT_TRUE(f.server.requests().empty());
}

}  // namespace
}  // namespace hark::llm
