// Links into hark from outside it: the player at a moment, and a shared snip's public page.
// Every link starts with the server's public URL ([server] public_url in hark.toml), the
// address people reach hark at, which is not necessarily where it listens (a reverse proxy,
// a LAN name).
//
// Pure functions; safe from any thread.
#pragma once

#include <string>
#include <string_view>

#include "core/model.hpp"
#include "core/result.hpp"

namespace hark::exports {

inline constexpr std::string_view kDefaultPublicUrl = "http://127.0.0.1:8080";

// Checks and normalises a public URL: http or https, a host, no query or fragment; a
// trailing slash is dropped ("https://hark.example.org/pods/" → ".../pods"). InvalidInput
// naming the text otherwise.
Result<std::string> normalize_public_url(std::string_view text);

// The web player at `at_ms` in an episode: <public_url>/episodes/<id>?t=<whole seconds>.
std::string player_url(std::string_view public_url, Id episode_id, Millis at_ms);

// A shared snip's public page: <public_url>/s/<share_id> (the id percent-encoded).
std::string share_url(std::string_view public_url, std::string_view share_id);

// Percent-encodes everything but RFC 3986's unreserved characters (for query values).
std::string percent_encode(std::string_view text);

}  // namespace hark::exports
