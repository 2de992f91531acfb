// The API's route table and how a request finds its route. Handlers are plain functions
// `Response handle_x(const Request&, Context&)` that never throw; the table says, per
// route, who may call it and how large its body may be. The same table is what
// docs/openapi.yaml must describe (a test compares them).
#pragma once

#include <cstddef>
#include <map>
#include <span>
#include <string>
#include <string_view>

#include "server/http.hpp"

namespace hark::server {

struct Context;

enum class Access {
  Public,    // anyone (the handler may still look at request.principal)
  SignedIn,  // a session cookie (plus X-CSRF-Token on changes) or a bearer token
  Admin,     // signed in as an administrator
};

using Handler = Response (*)(const Request&, Context&);

struct Route {
  std::string_view method;   // GET, POST, PUT, DELETE
  std::string_view pattern;  // "/api/podcasts/{id}": a {name} matches one path segment
  Access access;
  std::size_t max_body;  // larger bodies are refused with 413
  Handler handler;
};

// Every API route, in matching order (literal segments are listed before {params} where
// both could match).
std::span<const Route> api_routes();

struct RouteMatch {
  const Route* route = nullptr;
  std::map<std::string, std::string, std::less<>> params;
  bool path_known = false;  // some route has this path, for another method (405)
  std::string allow;        // that route's methods, for the Allow header
};

// HEAD matches GET routes.
RouteMatch match_route(std::span<const Route> routes, std::string_view method,
                       std::string_view path);

}  // namespace hark::server
