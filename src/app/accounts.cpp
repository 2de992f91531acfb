#include "app/accounts.hpp"

#include <sodium.h>

#include <algorithm>
#include <mutex>

#include "core/time.hpp"

namespace hark::app {
namespace {

// libsodium must be initialised once before use; sodium_init is itself idempotent and
// thread-safe, the once_flag only saves the repeated calls.
void ensure_sodium() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (sodium_init() < 0) std::abort();  // no usable randomness: nothing safe to do
  });
}

// Activity is written at most this often per session or token, so a page that polls
// does not turn every read into a write.
constexpr Millis kTouchEveryMs = 60'000;

// Verifying against this when the name is unknown makes a wrong name cost as much time
// as a wrong password, so response times do not reveal which names exist.
const std::string& dummy_hash() {
  static const std::string hash = [] {
    auto h = hash_password("not a real password, only for timing");
    return h ? *h : std::string();
  }();
  return hash;
}

}  // namespace

Result<std::string> hash_password(std::string_view password) {
  ensure_sodium();
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
    return internal_error("hashing the password ran out of memory");
  }
  return std::string(out);
}

bool verify_password(const std::string& password_hash, std::string_view password) {
  ensure_sodium();
  if (password_hash.empty()) return false;
  return crypto_pwhash_str_verify(password_hash.c_str(), password.data(), password.size()) == 0;
}

std::string random_token() {
  ensure_sodium();
  unsigned char bytes[32];
  randombytes_buf(bytes, sizeof bytes);
  char out[sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
  sodium_bin2base64(out, sizeof out, bytes, sizeof bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  return out;
}

std::string token_hash(std::string_view token) {
  ensure_sodium();
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(token.data()), token.size());
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return hex;
}

Accounts::Accounts(store::Store& store, AccountOptions options)
    : store_(store), options_(std::move(options)) {
  ensure_sodium();
}

Millis Accounts::now() const {
  return options_.clock ? options_.clock() : now_ms();
}

Result<store::User> Accounts::add_user(const std::string& name, std::string_view password,
                                       bool is_admin) {
  if (name.empty()) return invalid_input("a user name cannot be empty");
  if (password.size() < options_.min_password_length)
    return invalid_input("a password needs at least " +
                         std::to_string(options_.min_password_length) + " characters");
  auto hash = hash_password(password);
  if (!hash) return hash.error();
  auto user = store_.users().create(name, is_admin);
  if (!user) return user.error();
  HARK_TRY(store_.users().set_password(user->id, *hash));
  user->password_hash = *hash;
  return user;
}

Status Accounts::set_password(const std::string& name, std::string_view password) {
  if (password.size() < options_.min_password_length)
    return invalid_input("a password needs at least " +
                         std::to_string(options_.min_password_length) + " characters");
  auto user = store_.users().find_by_name(name);
  if (!user) return user.error();
  auto hash = hash_password(password);
  if (!hash) return hash.error();
  HARK_TRY(store_.users().set_password(user->id, *hash));
  return store_.sessions().remove_for_user(user->id);
}

Result<store::User> Accounts::set_up_admin(const std::string& name, std::string_view password) {
  if (password.size() < options_.min_password_length)
    return invalid_input("a password needs at least " +
                         std::to_string(options_.min_password_length) + " characters");
  auto existing = store_.users().find_by_name(name);
  if (!existing) {
    if (existing.error().code != ErrorCode::NotFound) return existing.error();
    return add_user(name, password, /*is_admin=*/true);
  }
  if (!existing->password_hash.empty())
    return conflict("the user '" + name + "' already has a password");
  if (!existing->is_admin)
    return conflict("the user '" + name + "' exists and is not an administrator");
  auto hash = hash_password(password);
  if (!hash) return hash.error();
  HARK_TRY(store_.users().set_password(existing->id, *hash));
  existing->password_hash = *hash;
  return existing;
}

Result<bool> Accounts::has_login() {
  auto users = store_.users().list();
  if (!users) return users.error();
  return std::any_of(users->begin(), users->end(),
                     [](const store::User& u) { return !u.password_hash.empty(); });
}

Result<LoginResult> Accounts::login(const std::string& name, std::string_view password,
                                    const std::string& ip) {
  const Millis t = now();
  const Millis since = t - options_.failure_window_ms;
  auto by_name = store_.login_attempts().failures_for_name(name, since);
  if (!by_name) return by_name.error();
  auto by_ip = store_.login_attempts().failures_for_ip(ip, since);
  if (!by_ip) return by_ip.error();
  Millis retry_at = 0;
  if (by_name->failures >= options_.max_failures)
    retry_at = std::max(retry_at, by_name->oldest + options_.failure_window_ms);
  if (by_ip->failures >= options_.max_failures)
    retry_at = std::max(retry_at, by_ip->oldest + options_.failure_window_ms);
  if (retry_at > 0) {
    LoginResult limited;
    limited.outcome = LoginResult::Outcome::RateLimited;
    limited.retry_after_ms = std::max<Millis>(retry_at - t, 1);
    return limited;
  }

  auto user = store_.users().find_by_name(name);
  if (!user && user.error().code != ErrorCode::NotFound) return user.error();
  bool good = false;
  if (user)
    good = verify_password(user->password_hash, password);
  else
    (void)verify_password(dummy_hash(), password);
  HARK_TRY(store_.login_attempts().record(name, ip, t, good));
  if (!good) return LoginResult{};
  // Attempts only matter within the window; forget older ones.
  (void)store_.login_attempts().prune(since);
  return start_session(*user);
}

Result<LoginResult> Accounts::start_session(const store::User& user) {
  const Millis t = now();
  LoginResult r;
  r.outcome = LoginResult::Outcome::LoggedIn;
  r.user = user;
  r.session_token = random_token();
  store::Session s;
  s.user_id = user.id;
  s.token_hash = token_hash(r.session_token);
  s.csrf_token = random_token();
  s.created_at = t;
  s.last_seen_at = t;
  s.expires_at = t + options_.session_ttl_ms;
  auto stored = store_.sessions().create(s);
  if (!stored) return stored.error();
  r.session = *stored;
  (void)store_.sessions().remove_expired(t);
  return r;
}

Status Accounts::logout(const store::Session& session) {
  return store_.sessions().remove(session.id);
}

Result<std::optional<Principal>> Accounts::authenticate_session(std::string_view token) {
  if (token.empty()) return std::optional<Principal>();
  auto session = store_.sessions().find_by_token_hash(token_hash(token));
  if (!session) return session.error();
  const Millis t = now();
  if (!*session || (*session)->expires_at <= t) return std::optional<Principal>();
  auto user = store_.users().find((*session)->user_id);
  if (!user) {
    if (user.error().code == ErrorCode::NotFound) return std::optional<Principal>();
    return user.error();
  }
  if (t - (*session)->last_seen_at >= kTouchEveryMs) {
    (*session)->last_seen_at = t;
    (*session)->expires_at = t + options_.session_ttl_ms;
    HARK_TRY(store_.sessions().touch((*session)->id, t, (*session)->expires_at));
  }
  return std::optional<Principal>(Principal{*user, **session, std::nullopt});
}

Result<std::optional<Principal>> Accounts::authenticate_token(std::string_view token) {
  if (token.empty()) return std::optional<Principal>();
  auto found = store_.api_tokens().find_by_hash(token_hash(token));
  if (!found) return found.error();
  if (!*found) return std::optional<Principal>();
  auto user = store_.users().find((*found)->user_id);
  if (!user) {
    if (user.error().code == ErrorCode::NotFound) return std::optional<Principal>();
    return user.error();
  }
  const Millis t = now();
  if (!(*found)->last_used_at || t - *(*found)->last_used_at >= kTouchEveryMs)
    HARK_TRY(store_.api_tokens().touch((*found)->id, t));
  return std::optional<Principal>(Principal{*user, std::nullopt, (*found)->id});
}

Result<std::pair<std::string, store::ApiToken>> Accounts::create_api_token(
    const std::string& user_name, const std::string& label) {
  auto user = store_.users().find_by_name(user_name);
  if (!user) return user.error();
  std::string token = random_token();
  store::ApiToken record;
  record.user_id = user->id;
  record.name = label;
  record.token_hash = token_hash(token);
  auto stored = store_.api_tokens().create(record);
  if (!stored) return stored.error();
  return std::make_pair(std::move(token), *stored);
}

}  // namespace hark::app
