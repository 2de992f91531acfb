// A real hark server on 127.0.0.1 (any free port) over a real SQLite library in a
// temporary directory, running in this process; requests go through http_probe.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>

#include "app/accounts.hpp"
#include "app/app.hpp"
#include "http_probe.hpp"
#include "server/server.hpp"
#include "temp_dir.hpp"

namespace hark::testing {

struct LoggedIn {
  std::string cookie;  // "hark_session=..."
  std::string csrf;
  nlohmann::json body;
};

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override { start(); }
  void TearDown() override { stop(); }

  virtual void configure(server::ServerOptions& options) { (void)options; }

  void start() {
    app::Config config;
    config.data_dir = dir_ / "data";
    config.allow_private_networks = true;  // feeds on the loopback test server
    auto opened = app::App::open(config, app::FrontEnd::Server);
    ASSERT_TRUE(opened) << opened.error().message;
    app_ = std::move(*opened);
    std::filesystem::create_directories(dir_ / "web");
    server::ServerOptions options;
    options.host = "127.0.0.1";
    options.port = 0;
    options.web_dir = dir_ / "web";
    options.workers = 1;
    options.refresh_interval_ms = 0;
    options.http_threads = 4;
    configure(options);
    auto created = server::Server::create(*app_, options, log_);
    ASSERT_TRUE(created) << created.error().message;
    server_ = std::move(*created);
    port_ = server_->port();
    thread_ = std::thread([this] { (void)server_->run(); });
  }

  void stop() {
    if (server_) server_->stop();
    if (thread_.joinable()) thread_.join();
    server_.reset();
    app_.reset();
  }

  store::User add_user(const std::string& name, bool admin = false,
                       const std::string& password = "correct horse battery") {
    app::Accounts accounts(app_->store());
    auto user = accounts.add_user(name, password, admin);
    EXPECT_TRUE(user) << user.error().message;
    return user ? *user : store::User{};
  }

  HttpReply get(const std::string& target, const Headers& headers = {}) {
    return http_request(port_, "GET", target, headers);
  }

  HttpReply login_raw(const std::string& name, const std::string& password) {
    const nlohmann::json body = {{"name", name}, {"password", password}};
    return http_request(port_, "POST", "/api/login", {{"Content-Type", "application/json"}},
                        body.dump());
  }

  LoggedIn login(const std::string& name, const std::string& password = "correct horse battery") {
    auto r = login_raw(name, password);
    EXPECT_EQ(r.status, 200) << r.body;
    LoggedIn s;
    s.cookie = "hark_session=" + cookie_value(r.header("set-cookie"), "hark_session");
    s.body = nlohmann::json::parse(r.body, nullptr, false);
    if (s.body.is_object() && s.body["csrf_token"].is_string()) s.csrf = s.body["csrf_token"];
    return s;
  }

  // A request as the signed-in browser makes it: the cookie, and the CSRF token on changes.
  HttpReply as(const LoggedIn& who, const std::string& method, const std::string& target,
               const std::string& body = "", const std::string& content_type = "application/json") {
    Headers h = {{"Cookie", who.cookie}};
    if (method != "GET" && method != "HEAD") h.emplace_back("X-CSRF-Token", who.csrf);
    if (!body.empty()) h.emplace_back("Content-Type", content_type);
    return http_request(port_, method, target, h, body);
  }

  static nlohmann::json json_of(const HttpReply& r) {
    return nlohmann::json::parse(r.body, nullptr, false);
  }

  TempDir dir_;
  std::ostringstream log_;
  std::unique_ptr<app::App> app_;
  std::unique_ptr<server::Server> server_;
  std::thread thread_;
  int port_ = 0;
};

}  // namespace hark::testing
