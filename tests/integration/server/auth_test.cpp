// Sessions, CSRF, bearer tokens, the login rate limit and first-run setup.
#include "server_fixture.hpp"

namespace hark::testing {
namespace {

using AuthTest = ServerTest;

TEST_F(AuthTest, LoginSetsAnHttpOnlyCookieAndLogoutEndsTheSession) {
  add_user("alice");
  auto anonymous = json_of(get("/api/session"));
  EXPECT_EQ(anonymous["authenticated"], false);
  EXPECT_EQ(get("/api/podcasts").status, 401);

  auto r = login_raw("alice", "correct horse battery");
  ASSERT_EQ(r.status, 200) << r.body;
  const auto cookie = r.header("set-cookie");
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(cookie.find("SameSite=Lax"), std::string::npos);
  EXPECT_NE(cookie.find("Path=/"), std::string::npos);
  EXPECT_EQ(cookie.find("Secure"), std::string::npos);  // plain http here
  const auto body = json_of(r);
  EXPECT_EQ(body["user"]["name"], "alice");
  ASSERT_TRUE(body["csrf_token"].is_string());

  LoggedIn alice{"hark_session=" + cookie_value(cookie, "hark_session"), body["csrf_token"], body};
  auto session = json_of(as(alice, "GET", "/api/session"));
  EXPECT_EQ(session["authenticated"], true);
  EXPECT_EQ(session["auth"], "session");
  EXPECT_EQ(session["csrf_token"], alice.csrf);
  EXPECT_EQ(as(alice, "GET", "/api/podcasts").status, 200);

  auto out = as(alice, "POST", "/api/logout");
  EXPECT_EQ(out.status, 204);
  EXPECT_NE(out.header("set-cookie").find("Max-Age=0"), std::string::npos);
  EXPECT_EQ(as(alice, "GET", "/api/podcasts").status, 401);
  EXPECT_EQ(json_of(as(alice, "GET", "/api/session"))["authenticated"], false);
}

TEST_F(AuthTest, SecureCookieBehindAnHttpsProxy) {
  add_user("alice");
  const nlohmann::json body = {{"name", "alice"}, {"password", "correct horse battery"}};
  auto r = http_request(port_, "POST", "/api/login",
                        {{"Content-Type", "application/json"}, {"X-Forwarded-Proto", "https"}},
                        body.dump());
  ASSERT_EQ(r.status, 200);
  EXPECT_NE(r.header("set-cookie").find("; Secure"), std::string::npos);
}

TEST_F(AuthTest, WrongPasswordAndUnknownUserAreTheSame401) {
  add_user("alice");
  auto wrong = login_raw("alice", "not the password");
  auto unknown = login_raw("mallory", "not the password");
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(unknown.status, 401);
  EXPECT_EQ(json_of(wrong)["error"]["code"], "invalid_credentials");
  EXPECT_EQ(wrong.body, unknown.body);
  EXPECT_TRUE(wrong.header("set-cookie").empty());
}

TEST_F(AuthTest, LoginNeedsJson) {
  add_user("alice");
  auto r = http_request(port_, "POST", "/api/login",
                        {{"Content-Type", "application/x-www-form-urlencoded"}},
                        "name=alice&password=correct+horse+battery");
  EXPECT_EQ(r.status, 415);
}

TEST_F(AuthTest, FailedLoginsAreRateLimitedPerName) {
  add_user("alice");
  for (int i = 0; i < 5; ++i)
    EXPECT_EQ(login_raw("alice", "wrong password " + std::to_string(i)).status, 401);
  auto limited = login_raw("alice", "correct horse battery");  // even the right password
  EXPECT_EQ(limited.status, 429) << limited.body;
  EXPECT_EQ(json_of(limited)["error"]["code"], "rate_limited");
  const int retry = std::atoi(limited.header("retry-after").c_str());
  EXPECT_GE(retry, 1);
  EXPECT_LE(retry, 60);
}

TEST_F(AuthTest, FailedLoginsAreRateLimitedPerAddress) {
  add_user("alice");
  for (int i = 0; i < 5; ++i)
    EXPECT_EQ(login_raw("user" + std::to_string(i), "whatever pass").status, 401);
  EXPECT_EQ(login_raw("alice", "correct horse battery").status, 429);
}

TEST_F(AuthTest, ChangesWithACookieNeedTheCsrfToken) {
  add_user("alice");
  auto alice = login("alice");
  const std::string body = R"({"url":"https://example.invalid/feed.xml"})";
  auto without =
      http_request(port_, "POST", "/api/podcasts",
                   {{"Cookie", alice.cookie}, {"Content-Type", "application/json"}}, body);
  EXPECT_EQ(without.status, 403);
  EXPECT_EQ(json_of(without)["error"]["code"], "csrf");
  auto wrong = http_request(port_, "POST", "/api/podcasts",
                            {{"Cookie", alice.cookie},
                             {"Content-Type", "application/json"},
                             {"X-CSRF-Token", "not-the-token"}},
                            body);
  EXPECT_EQ(wrong.status, 403);
  auto logout = http_request(port_, "POST", "/api/logout", {{"Cookie", alice.cookie}});
  EXPECT_EQ(logout.status, 403);
  EXPECT_EQ(as(alice, "GET", "/api/podcasts").status, 200);  // still logged in
}

TEST_F(AuthTest, ABearerTokenWorksWithoutCookieOrCsrf) {
  add_user("alice");
  app::Accounts accounts(app_->store());
  auto token = accounts.create_api_token("alice", "script");
  ASSERT_TRUE(token);
  const Headers auth = {{"Authorization", "Bearer " + token->first}};
  auto session = json_of(http_request(port_, "GET", "/api/session", auth));
  EXPECT_EQ(session["authenticated"], true);
  EXPECT_EQ(session["auth"], "token");
  EXPECT_TRUE(session["csrf_token"].is_null());
  // A change without X-CSRF-Token: fine with a token (it gets as far as the handler).
  auto put = http_request(
      port_, "PUT", "/api/episodes/999/position",
      {{"Authorization", "Bearer " + token->first}, {"Content-Type", "application/json"}},
      R"({"position_ms": 1000})");
  EXPECT_EQ(put.status, 404);
  EXPECT_EQ(http_request(port_, "GET", "/api/podcasts", {{"Authorization", "Bearer nope"}}).status,
            401);
  // Tokens made through the API work too, and can be revoked.
  auto alice = login("alice");
  auto made = as(alice, "POST", "/api/tokens", R"({"name":"phone"})");
  ASSERT_EQ(made.status, 201) << made.body;
  const std::string t2 = json_of(made)["token"];
  const Id id = json_of(made)["info"]["id"];
  EXPECT_EQ(http_request(port_, "GET", "/api/podcasts", {{"Authorization", "Bearer " + t2}}).status,
            200);
  EXPECT_EQ(json_of(as(alice, "GET", "/api/tokens"))["tokens"].size(), 2u);
  EXPECT_EQ(as(alice, "DELETE", "/api/tokens/" + std::to_string(id)).status, 204);
  EXPECT_EQ(http_request(port_, "GET", "/api/podcasts", {{"Authorization", "Bearer " + t2}}).status,
            401);
}

TEST_F(AuthTest, FirstRunSetupCodeCreatesTheAdministratorOnce) {
  const auto code = server_->setup_code();
  ASSERT_FALSE(code.empty());
  EXPECT_EQ(json_of(get("/api/session"))["setup_required"], true);
  const Headers json = {{"Content-Type", "application/json"}};
  auto bad = http_request(port_, "POST", "/api/setup", json,
                          R"({"code":"wrong","name":"admin","password":"long enough pw"})");
  EXPECT_EQ(bad.status, 403);
  const nlohmann::json body = {{"code", code}, {"name", "admin"}, {"password", "long enough pw"}};
  auto ok = http_request(port_, "POST", "/api/setup", json, body.dump());
  ASSERT_EQ(ok.status, 201) << ok.body;
  EXPECT_EQ(json_of(ok)["user"]["is_admin"], true);
  EXPECT_FALSE(cookie_value(ok.header("set-cookie"), "hark_session").empty());
  EXPECT_EQ(http_request(port_, "POST", "/api/setup", json, body.dump()).status, 403);  // used up
  EXPECT_EQ(json_of(get("/api/session"))["setup_required"], false);
  EXPECT_EQ(login_raw("admin", "long enough pw").status, 200);
}

TEST_F(AuthTest, ChangingThePasswordEndsSessions) {
  add_user("alice");
  auto alice = login("alice");
  auto wrong = as(alice, "POST", "/api/account/password",
                  R"({"current_password":"nope nope","new_password":"a new password"})");
  EXPECT_EQ(wrong.status, 403);
  auto changed =
      as(alice, "POST", "/api/account/password",
         R"({"current_password":"correct horse battery","new_password":"a new password"})");
  EXPECT_EQ(changed.status, 204) << changed.body;
  EXPECT_EQ(as(alice, "GET", "/api/podcasts").status, 401);
  EXPECT_EQ(login_raw("alice", "a new password").status, 200);
}

TEST_F(AuthTest, AdminRoutesRefuseOtherUsers) {
  add_user("root", true);
  add_user("alice");
  EXPECT_EQ(as(login("alice"), "GET", "/api/users").status, 403);
  auto users = as(login("root"), "GET", "/api/users");
  ASSERT_EQ(users.status, 200);
  EXPECT_GE(json_of(users)["users"].size(), 2u);
}

}  // namespace
}  // namespace hark::testing
