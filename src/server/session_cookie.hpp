// The session cookie: HttpOnly (scripts never see it), SameSite=Lax (not sent with
// cross-site POSTs), Path=/, Secure when the site is served over HTTPS.
#pragma once

#include <string>
#include <string_view>

#include "server/context.hpp"
#include "server/http.hpp"

namespace hark::server {

inline constexpr std::string_view kSessionCookie = "hark_session";

std::string session_cookie(std::string_view token, Millis max_age_ms, bool secure);
std::string expired_session_cookie(bool secure);
// Secure cookies when configured, or when a reverse proxy says the browser used HTTPS.
bool wants_secure_cookie(const Context& ctx, const Request& request);

}  // namespace hark::server
