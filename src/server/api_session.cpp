// Session, login/logout, first-run setup, the account's password and API tokens.
#include <cmath>

#include "server/api_support.hpp"
#include "server/handlers.hpp"
#include "server/session_cookie.hpp"

namespace hark::server {

using nlohmann::json;

namespace {

json session_body(Context& ctx, const Request& request, const std::optional<app::Principal>& who) {
  json j = {{"authenticated", who.has_value()},
            {"user", who ? user_json(who->user) : json(nullptr)},
            {"auth", who ? json(who->session ? "session" : "token") : json(nullptr)},
            {"csrf_token", who && who->session ? json(who->session->csrf_token) : json(nullptr)},
            {"setup_required", false}};
  (void)request;
  if (ctx.setup.active()) {
    auto has_login = ctx.accounts.has_login();
    j["setup_required"] = has_login && !*has_login;
  }
  return j;
}

Response logged_in(Context& ctx, const Request& request, const app::LoginResult& result,
                   int status) {
  app::Principal who{result.user, result.session, std::nullopt};
  auto r = json_response(status, session_body(ctx, request, who));
  r.set_header("Set-Cookie",
               session_cookie(result.session_token, ctx.options.accounts.session_ttl_ms,
                              wants_secure_cookie(ctx, request)));
  return r;
}

Result<std::pair<std::string, std::string>> credentials(const Request& request) {
  auto body = json_body(request);
  if (!body) return body.error();
  auto name = string_member(*body, "name");
  if (!name) return name.error();
  auto password = string_member(*body, "password");
  if (!password) return password.error();
  if (!*name || (*name)->empty() || !*password)
    return invalid_input("send {\"name\": ..., \"password\": ...}");
  return std::make_pair(**name, **password);
}

}  // namespace

Response handle_get_session(const Request& request, Context& ctx) {
  return json_response(200, session_body(ctx, request, request.principal));
}

Response handle_login(const Request& request, Context& ctx) {
  auto creds = credentials(request);
  if (!creds) return error_response(creds.error());
  auto result = ctx.accounts.login(creds->first, creds->second, request.remote_addr);
  if (!result) return error_response(result.error());
  using Outcome = app::LoginResult::Outcome;
  if (result->outcome == Outcome::RateLimited) {
    const auto seconds =
        static_cast<long long>(std::ceil(static_cast<double>(result->retry_after_ms) / 1000.0));
    auto r =
        error_response(429, "rate_limited",
                       "too many failed logins; try again in " + std::to_string(seconds) + " s");
    r.set_header("Retry-After", std::to_string(std::max(1LL, seconds)));
    return r;
  }
  if (result->outcome == Outcome::WrongCredentials)
    return error_response(401, "invalid_credentials", "wrong name or password");
  return logged_in(ctx, request, *result, 200);
}

Response handle_logout(const Request& request, Context& ctx) {
  if (request.principal && request.principal->session) {
    if (auto s = ctx.accounts.logout(*request.principal->session); !s)
      return error_response(s.error());
  }
  auto r = no_content();
  r.set_header("Set-Cookie", expired_session_cookie(wants_secure_cookie(ctx, request)));
  return r;
}

Response handle_setup(const Request& request, Context& ctx) {
  auto body = json_body(request);
  if (!body) return error_response(body.error());
  auto code = string_member(*body, "code");
  if (!code) return error_response(code.error());
  auto creds = credentials(request);
  if (!creds) return error_response(creds.error());
  if (creds->second.size() < ctx.options.accounts.min_password_length)
    return error_response(invalid_input("a password needs at least " +
                                        std::to_string(ctx.options.accounts.min_password_length) +
                                        " characters"));
  if (!*code || !ctx.setup.consume(**code))
    return error_response(403, "forbidden", "the setup code is wrong or was already used");
  auto has_login = ctx.accounts.has_login();
  if (!has_login) return error_response(has_login.error());
  if (*has_login)
    return error_response(conflict("an account already exists; log in, or use `hark user add`"));
  auto user = ctx.accounts.set_up_admin(creds->first, creds->second);
  if (!user) return error_response(user.error());
  auto result = ctx.accounts.login(creds->first, creds->second, request.remote_addr);
  if (!result) return error_response(result.error());
  if (result->outcome != app::LoginResult::Outcome::LoggedIn)
    return error_response(internal_error("the new account could not log in"));
  return logged_in(ctx, request, *result, 201);
}

Response handle_change_password(const Request& request, Context& ctx) {
  auto body = json_body(request);
  if (!body) return error_response(body.error());
  auto current = string_member(*body, "current_password");
  auto next = string_member(*body, "new_password");
  if (!current) return error_response(current.error());
  if (!next) return error_response(next.error());
  if (!*current || !*next)
    return error_response(invalid_input("send current_password and new_password"));
  const auto& user = request.principal->user;
  if (!app::verify_password(user.password_hash, **current))
    return error_response(403, "forbidden", "the current password is wrong");
  if (auto s = ctx.accounts.set_password(user.name, **next); !s) return error_response(s.error());
  // Every session of the user ended with the change; the browser logs in again.
  auto r = no_content();
  if (request.principal->session)
    r.set_header("Set-Cookie", expired_session_cookie(wants_secure_cookie(ctx, request)));
  return r;
}

Response handle_list_tokens(const Request& request, Context& ctx) {
  auto tokens = ctx.app.store().api_tokens().list(request.user_id());
  if (!tokens) return error_response(tokens.error());
  json list = json::array();
  for (const auto& t : *tokens) list.push_back(token_json(t));
  return json_response(200, {{"tokens", list}});
}

Response handle_create_token(const Request& request, Context& ctx) {
  auto body = json_body(request);
  if (!body) return error_response(body.error());
  auto name = string_member(*body, "name");
  if (!name) return error_response(name.error());
  auto created = ctx.accounts.create_api_token(request.principal->user.name, name->value_or(""));
  if (!created) return error_response(created.error());
  return json_response(201, {{"token", created->first}, {"info", token_json(created->second)}});
}

Response handle_delete_token(const Request& request, Context& ctx) {
  auto id = id_param(request);
  if (!id) return error_response(id.error());
  if (auto s = ctx.app.store().api_tokens().remove(request.user_id(), *id); !s)
    return error_response(s.error());
  return no_content();
}

Response handle_list_users(const Request&, Context& ctx) {
  auto users = ctx.app.store().users().list();
  if (!users) return error_response(users.error());
  json list = json::array();
  for (const auto& u : *users) {
    auto j = user_json(u);
    j["can_log_in"] = !u.password_hash.empty();
    list.push_back(j);
  }
  return json_response(200, {{"users", list}});
}

}  // namespace hark::server
