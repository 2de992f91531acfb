#include "server/server.hpp"

#include <pthread.h>
#include <signal.h>

#include <ctime>
#include <exception>
#include <mutex>
#include <ostream>
#include <thread>

#include "app/accounts.hpp"
#include "app/artwork.hpp"
#include "app/export_jobs.hpp"
#include "core/time.hpp"
#include "server/errors.hpp"
#include "server/peaks.hpp"
#include "server/router.hpp"
#include "server/session_cookie.hpp"
#include "server/share_page.hpp"
#include "server/static_files.hpp"

namespace hark::server {
namespace {

std::mutex log_mutex;

void log_line(std::ostream& log, const std::string& line) {
  std::lock_guard lock(log_mutex);
  log << "hark serve: " << line << std::endl;
}

bool is_api_path(std::string_view path) {
  return path == "/api" || path.rfind("/api/", 0) == 0;
}

bool changes_state(std::string_view method) {
  return method != "GET" && method != "HEAD" && method != "OPTIONS";
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

std::string bearer_token(const Request& request) {
  const auto auth = request.header("authorization");
  constexpr std::string_view kBearer = "Bearer ";
  if (auth.size() > kBearer.size() && auth.compare(0, kBearer.size(), kBearer) == 0)
    return auth.substr(kBearer.size());
  return "";
}

bool is_json(const Request& request) {
  const auto type = request.header("content-type");
  return type.rfind("application/json", 0) == 0;
}

}  // namespace

HeaderList security_headers() {
  return {
      {"Content-Security-Policy",
       "default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; "
       "frame-ancestors 'none'; img-src 'self' https: data:; media-src 'self' https:; "
       "style-src 'self'"},
      {"X-Content-Type-Options", "nosniff"},
      {"Referrer-Policy", "same-origin"},
      {"X-Frame-Options", "DENY"},
  };
}

// ---- setup code -------------------------------------------------------------------------

std::string SetupCode::issue() {
  std::lock_guard lock(mutex_);
  code_ = app::random_token().substr(0, 16);
  return code_;
}

bool SetupCode::active() const {
  std::lock_guard lock(mutex_);
  return !code_.empty();
}

bool SetupCode::consume(std::string_view code) {
  std::lock_guard lock(mutex_);
  if (code_.empty() || !constant_time_equal(code_, code)) return false;
  code_.clear();
  return true;
}

// ---- server -----------------------------------------------------------------------------

Server::Server(app::App& app, ServerOptions options, std::ostream& log)
    : app_(app),
      options_(std::move(options)),
      log_(log),
      accounts_(app.store(), options_.accounts),
      registry_(app.jobs()) {}

Server::~Server() {
  stop();
  if (schedule_) schedule_->stop();
  if (worker_) worker_->stop();
}

Result<std::unique_ptr<Server>> Server::create(app::App& app, ServerOptions options,
                                               std::ostream& log) {
  std::unique_ptr<Server> s(new Server(app, std::move(options), log));
  auto& o = s->options_;
  const auto peaks = o.peaks_dir.empty() ? app.config().data_dir / "cache" / "peaks" : o.peaks_dir;
  register_peaks_job(s->registry_, app.store(), peaks);
  app::ExportJobOptions eo;
  eo.services.readwise_base_url = o.readwise_base_url;
  eo.services.notion_base_url = o.notion_base_url;
  eo.sender.public_url = o.public_url;
  app::register_export_jobs(s->registry_, app.store(), app.http(), std::move(eo));

  app::WorkerOptions wo = o.worker;
  wo.threads = std::max(1, o.workers);
  s->worker_ = std::make_unique<app::Worker>(app.store().jobs(), s->registry_, wo);

  app::RefreshScheduleOptions ro;
  ro.interval_ms = o.refresh_interval_ms;
  ro.auto_process_recent = o.auto_process_recent;
  ro.on_enqueued = [w = s->worker_.get()] { w->notify(); };
  s->schedule_ = std::make_unique<app::RefreshSchedule>(app.library(), app.store(), ro);

  auto has_login = s->accounts_.has_login();
  if (!has_login) return has_login.error();
  if (!*has_login) s->setup_code_ = s->setup_.issue();

  s->context_ = std::make_unique<Context>(Context{app, s->accounts_, *s->worker_, *s->schedule_,
                                                  s->options_, s->setup_, now_ms(),
                                                  std::make_shared<std::atomic<int>>(0)});
  app::ClipCache::Options co;
  co.dir = o.clips_dir.empty() ? app.config().data_dir / "cache" / "clips" : o.clips_dir;
  co.max_encoding = std::max(1, o.clip_encoders);
  co.public_url = o.public_url;
  // The clip's cover: the image the artwork routes serve, through the same cache.
  co.artwork = [&app, cache = s->context_->artwork](
                   const std::string& url, const std::string& feed) -> Result<std::string> {
    if (auto hit = cache->find(url)) return std::move(hit->bytes);
    auto artwork = app::load_artwork(app.http(), url, feed);
    if (!artwork) return artwork.error();
    cache->put(url, {artwork->type, artwork->bytes});
    return std::move(artwork->bytes);
  };
  co.note = [&log = s->log_](const std::string& line) { log_line(log, line); };
  s->context_->clips = std::make_shared<app::ClipCache>(app.store(), app.library(), co);
  // Clips of snips deleted while the server was down (with their episode, or by the CLI).
  if (auto swept = s->context_->clips->sweep(); !swept)
    log_line(s->log_, "could not clear clips of deleted snips: " + swept.error().message);
  else if (*swept > 0)
    log_line(s->log_, "removed " + std::to_string(*swept) + " cached clip(s) of deleted snips");

  TransportOptions to;
  to.host = o.host;
  to.port = o.port;
  to.threads = o.http_threads;
  // The largest body any route accepts, plus room; each route checks its own limit.
  to.max_body_bytes = std::max(o.max_opml_bytes, o.max_json_bytes) + (64 << 10);
  to.default_headers = security_headers();
  Server* raw = s.get();
  s->transport_ =
      std::make_unique<Transport>(to, [raw](const Request& r) { return raw->dispatch(r); });
  auto port = s->transport_->bind();
  if (!port) return port.error();
  s->port_ = *port;
  return s;
}

std::string Server::setup_code() const {
  return setup_.active() ? setup_code_ : "";
}

Status Server::run() {
  auto reclaimed = worker_->reclaim_orphans();
  if (reclaimed && *reclaimed > 0)
    log_line(log_, "resumed " + std::to_string(*reclaimed) + " job(s) left by a stopped hark");
  worker_->start();
  schedule_->start();
  auto status = transport_->run();
  // Graceful shutdown: no new requests; no new refresh rounds; running jobs are asked to
  // stop and unfinished ones go back to the queue (attempt not counted).
  schedule_->stop();
  worker_->stop();
  return status;
}

void Server::stop() {
  if (transport_) transport_->stop();
}

Response Server::dispatch(const Request& request) {
  Response r;
  try {
    r = route(request);
  } catch (const std::exception& e) {
    log_line(log_, request.method + " " + request.path + " failed: " + e.what());
    r = error_response(500, "internal", "the server failed to answer; see its log");
  } catch (...) {
    log_line(log_, request.method + " " + request.path + " failed with an unknown exception");
    r = error_response(500, "internal", "the server failed to answer; see its log");
  }
  if (r.status >= 500)
    log_line(log_,
             request.method + " " + request.path + " → " + std::to_string(r.status) + " " + r.body);
  return r;
}

Response Server::route(const Request& request) {
  // A share page's clip downloads are routes of the table (documented with the API).
  const bool share = is_share_path(request.path);
  if (share && !match_route(api_routes(), "GET", request.path).route)
    return serve_share(*context_, request);
  if (!share && !is_api_path(request.path)) return serve_static(options_.web_dir, request);
  Response r = route_api(request);
  if (r.header("cache-control").empty()) r.set_header("Cache-Control", "no-store");
  return r;
}

Response Server::route_api(const Request& in) {
  auto match = match_route(api_routes(), in.method, in.path);
  if (!match.route) {
    if (match.path_known) {
      auto r = error_response(405, "method_not_allowed", in.method + " is not allowed here");
      r.set_header("Allow", match.allow);
      return r;
    }
    return error_response(404, "not_found", "no API route " + in.path);
  }
  const Route& route = *match.route;
  if (in.body.size() > route.max_body)
    return error_response(
        413, "payload_too_large",
        "the request body is larger than " + std::to_string(route.max_body >> 10) + " KiB");

  Request request = in;
  request.params = std::move(match.params);

  // Who is asking: a bearer token, else the session cookie.
  const auto bearer = bearer_token(request);
  if (!bearer.empty()) {
    auto who = accounts_.authenticate_token(bearer);
    if (!who) return error_response(who.error());
    if (!*who)
      return error_response(401, "unauthorized", "the API token is unknown or was revoked");
    request.principal = std::move(*who);
  } else if (auto cookie = request.cookie(kSessionCookie); !cookie.empty()) {
    auto who = accounts_.authenticate_session(cookie);
    if (!who) return error_response(who.error());
    request.principal = std::move(*who);  // an expired session is just "not signed in"
  }

  if (route.access != Access::Public && !request.principal)
    return error_response(401, "unauthorized", "sign in first");
  if (route.access == Access::Admin && !request.principal->user.is_admin)
    return error_response(403, "forbidden", "only an administrator may do this");

  if (changes_state(request.method)) {
    if (request.principal && request.principal->session) {
      // A cookie rides along with any request the browser makes, a cross-site one too;
      // the CSRF token only reaches pages of this site.
      if (!constant_time_equal(request.header("x-csrf-token"),
                               request.principal->session->csrf_token))
        return error_response(403, "csrf", "missing or wrong X-CSRF-Token header");
    } else if (!request.principal && !is_json(request)) {
      // Login and setup: a cross-site form cannot send application/json.
      return error_response(415, "unsupported_media_type", "send Content-Type: application/json");
    }
  }
  return route.handler(request, *context_);
}

// ---- hark serve -------------------------------------------------------------------------

Status serve(app::App& app, ServerOptions options, std::ostream& out) {
  // Block the signals before any thread starts, so every thread inherits the mask and
  // only the watcher below receives them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  const std::string host = options.host;
  const std::string web_dir = options.web_dir.string();
  auto server = Server::create(app, std::move(options), out);
  if (!server) return server.error();
  Server& s = **server;
  const std::string base = "http://" + (host == "0.0.0.0" ? std::string("localhost") : host) + ":" +
                           std::to_string(s.port());
  log_line(out, "listening on " + base + " (web player from " + web_dir + ")");
  if (const auto code = s.setup_code(); !code.empty()) {
    log_line(out, "no account can log in yet. Create the administrator at " + base +
                      "/setup?code=" + code +
                      " (this code works once), or run: hark user add NAME --admin");
  }

  std::atomic<bool> done{false};
  std::thread watcher([&] {
    const timespec tick{0, 200'000'000};
    while (!done) {
      const int sig = sigtimedwait(&signals, nullptr, &tick);
      if (sig == SIGINT || sig == SIGTERM) {
        log_line(out, std::string("received ") + (sig == SIGINT ? "SIGINT" : "SIGTERM") +
                          ", shutting down");
        s.stop();
        return;
      }
    }
  });
  auto status = s.run();
  done = true;
  watcher.join();
  server->reset();  // stops the worker and closes connections before the store closes
  log_line(out, "stopped");
  return status;
}

}  // namespace hark::server
