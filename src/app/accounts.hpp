// Accounts: users with passwords, browser sessions, personal API tokens and the login rate
// limit. The HTTP server (server/) and `hark user` use it; neither touches password
// hashes or token hashes themselves.
//
// Secrets: passwords are hashed with Argon2id (libsodium's crypto_pwhash_str, interactive
// limits). Session and API tokens are 256-bit random values shown to their owner once;
// only their SHA-256 is stored, so a copy of the database lets nobody log in.
//
// Thread-safety: an Accounts may be used from many threads at once (it holds no mutable
// state besides what the store keeps; the store is thread-safe).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "app/jobs.hpp"
#include "core/result.hpp"
#include "store/store.hpp"

namespace hark::app {

struct AccountOptions {
  Millis session_ttl_ms = 30LL * 24 * 3600 * 1000;  // sliding: each use extends it
  int max_failures = 5;                             // per name and per address ...
  Millis failure_window_ms = 60'000;                // ... within this window
  std::size_t min_password_length = 8;
  Clock clock;  // empty: now_ms
};

// Who is making a request.
struct Principal {
  store::User user;
  std::optional<store::Session> session;  // set when authenticated by the session cookie
  std::optional<Id> api_token_id;         // set when authenticated by a bearer token
};

struct LoginResult {
  enum class Outcome { LoggedIn, WrongCredentials, RateLimited };
  Outcome outcome = Outcome::WrongCredentials;
  Millis retry_after_ms = 0;  // RateLimited: when the next attempt may be made
  store::User user;           // LoggedIn
  store::Session session;     // LoggedIn
  std::string session_token;  // LoggedIn: the cookie value (never stored)
};

// Argon2id hash of `password` (an encoded string with its own salt and parameters).
Result<std::string> hash_password(std::string_view password);
// Constant-time check of `password` against an encoded hash; false for an empty hash.
bool verify_password(const std::string& password_hash, std::string_view password);
// A fresh 256-bit random token, base64url without padding (43 characters).
std::string random_token();
// Lower-case hex SHA-256 of a token: what the store keeps.
std::string token_hash(std::string_view token);

class Accounts {
 public:
  Accounts(store::Store& store, AccountOptions options = {});

  // Creates a user with a password. Conflict when the name is taken; InvalidInput for an
  // empty name or a password shorter than min_password_length.
  Result<store::User> add_user(const std::string& name, std::string_view password, bool is_admin);
  // Sets a user's password and logs out every session of that user.
  Status set_password(const std::string& name, std::string_view password);
  // Sets the password of a user that has none yet (first-run setup: the CLI's "local"
  // user, say) or creates the user; makes them an admin. Conflict when the user exists
  // and already has a password.
  Result<store::User> set_up_admin(const std::string& name, std::string_view password);
  // Whether any user can log in (has a password).
  Result<bool> has_login();

  // Checks the rate limit, then the password. Every attempt is recorded; failures count
  // towards the limit for `name` and for `ip`.
  Result<LoginResult> login(const std::string& name, std::string_view password,
                            const std::string& ip);
  Status logout(const store::Session& session);

  // The principal for a session cookie / bearer token, or nullopt when it is unknown or
  // expired. Using a session slides its expiry.
  Result<std::optional<Principal>> authenticate_session(std::string_view token);
  Result<std::optional<Principal>> authenticate_token(std::string_view token);

  // A new personal API token for the user: the token (shown once) and its record.
  Result<std::pair<std::string, store::ApiToken>> create_api_token(const std::string& user_name,
                                                                   const std::string& label);

 private:
  Millis now() const;
  Result<LoginResult> start_session(const store::User& user);

  store::Store& store_;
  AccountOptions options_;
};

}  // namespace hark::app
