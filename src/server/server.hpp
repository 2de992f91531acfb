// hark's HTTP server: the JSON API under /api/, the web player's files, a background
// worker running the episode pipeline, and the feed refresh schedule.
//
// Per request (dispatch): API paths find their route (404/405 otherwise), bodies over
// the route's limit get 413, the caller is identified by `Authorization: Bearer <token>`
// or the session cookie, signed-in routes answer 401 without either, and a request that
// changes something with a session cookie must carry the session's X-CSRF-Token (403
// otherwise; bearer tokens need none). Handlers never throw; if one does anyway, this is
// the one place that turns it into a 500 and a log line. Every response carries the
// security headers (CSP, nosniff, Referrer-Policy); API responses are not cached.
//
// Thread-safety: dispatch() runs on many HTTP threads at once; stop() may be called from
// any thread (the signal watcher) while run() blocks.
#pragma once

#include <atomic>
#include <iosfwd>
#include <memory>

#include "app/accounts.hpp"
#include "app/app.hpp"
#include "app/refresh_schedule.hpp"
#include "app/worker.hpp"
#include "server/context.hpp"
#include "server/http.hpp"
#include "server/transport.hpp"

namespace hark::server {

// The headers every response carries.
HeaderList security_headers();

class Server {
 public:
  // Binds the listening socket (so the port is known, and a port in use is an error now)
  // but serves nothing until run(). `app` must outlive the Server; `log` receives one-line
  // notes (first-run setup, errors).
  static Result<std::unique_ptr<Server>> create(app::App& app, ServerOptions options,
                                                std::ostream& log);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  [[nodiscard]] int port() const { return port_; }
  // Starts the worker and the refresh schedule, then serves until stop(). On the way out
  // it stops accepting, stops the schedule and stops the worker (which hands unfinished
  // jobs back to the queue), in that order.
  Status run();
  void stop();

  // Handles one request as the HTTP threads do (exposed for tests).
  Response dispatch(const Request& request);

  // The one-time setup code while no account can log in ("" otherwise).
  [[nodiscard]] std::string setup_code() const;

 private:
  Server(app::App& app, ServerOptions options, std::ostream& log);
  Response route(const Request& request);
  Response route_api(const Request& request);

  app::App& app_;
  ServerOptions options_;
  std::ostream& log_;
  app::Accounts accounts_;
  app::JobRegistry registry_;
  std::unique_ptr<app::Worker> worker_;
  std::unique_ptr<app::RefreshSchedule> schedule_;
  SetupCode setup_;
  std::string setup_code_;
  std::unique_ptr<Context> context_;
  std::unique_ptr<Transport> transport_;
  int port_ = 0;
};

// `hark serve`: creates the server, prints where it listens (and the setup URL on first
// run), and serves until SIGINT or SIGTERM, then shuts down gracefully. Blocks both
// signals in the calling thread before any other thread starts.
Status serve(app::App& app, ServerOptions options, std::ostream& out);

}  // namespace hark::server
