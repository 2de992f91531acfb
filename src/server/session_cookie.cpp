#include "server/session_cookie.hpp"

#include "core/text.hpp"

namespace hark::server {

std::string session_cookie(std::string_view token, Millis max_age_ms, bool secure) {
  std::string c = std::string(kSessionCookie) + "=" + std::string(token) +
                  "; Path=/; HttpOnly; SameSite=Lax; Max-Age=" + std::to_string(max_age_ms / 1000);
  if (secure) c += "; Secure";
  return c;
}

std::string expired_session_cookie(bool secure) {
  std::string c = std::string(kSessionCookie) + "=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0";
  if (secure) c += "; Secure";
  return c;
}

bool wants_secure_cookie(const Context& ctx, const Request& request) {
  return ctx.options.secure_cookies ||
         text::to_lower_ascii(text::trim(request.header("x-forwarded-proto"))) == "https";
}

}  // namespace hark::server
