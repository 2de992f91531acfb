// GET /api/events: server-sent events telling the signed-in user's pages that snips
// changed ("snip" events carrying the snip as GET /api/snips/{id} shows it). The stream
// polls the store for the user's snips whose updated_at moved, so a change made by any
// process on the same library (a `hark process` worker rewriting a snip with a language
// model, the CLI, another server) reaches the page within about a second. A stream holds
// an HTTP thread, and the only sign that the client has gone is a failed write (the HTTP
// library gives no other), so a two-byte comment line goes out every second nothing else
// does: a closed tab frees its thread within about two seconds (the first write after the
// client closed draws its reset, the second fails) instead of at the next 15-second
// heartbeat, and proxies never see an idle stream. The stream ends after 10 minutes and
// the browser reconnects with Last-Event-ID. At most half the HTTP threads serve streams
// at once; beyond that: 503 + Retry-After.
#include <charconv>
#include <chrono>
#include <map>
#include <memory>
#include <thread>

#include "core/time.hpp"
#include "server/api_support.hpp"
#include "server/handlers.hpp"

namespace hark::server {

using nlohmann::json;

namespace {

constexpr Millis kPoll = 1000;  // also the longest silence: a write is how a gone client shows
constexpr Millis kLifetime = 10 * 60'000;
// A change committed by another writer can carry an updated_at a little older than one
// already seen (clocks are read before commit), so each poll looks back this far and
// skips what it has sent.
constexpr Millis kLookBack = 5'000;

std::optional<Millis> parse_millis(const std::string& s) {
  Millis v = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size() || v < 0) return std::nullopt;
  return v;
}

struct EventStream {
  Context* ctx = nullptr;
  Id user_id = 0;
  Millis cursor = 0;  // the newest updated_at sent
  Millis started = 0;
  Millis last_write = 0;
  bool hello_sent = false;
  bool polled = false;
  std::map<Id, Millis> sent;  // snip id → updated_at already sent (within the look-back)
  std::shared_ptr<std::atomic<int>> open;

  EventStream() = default;
  EventStream(const EventStream&) = delete;
  EventStream& operator=(const EventStream&) = delete;
  ~EventStream() {
    if (open) --*open;
  }

  bool poll(const StreamWrite& write) {
    // Each poll looks back (see kLookBack) and skips what was sent; on the first one,
    // what the client already has (up to its last event) counts as sent.
    auto changed = ctx->app.store().snips().changed_since(user_id, cursor - kLookBack);
    if (!changed) return true;  // a busy database: try again on the next poll
    const bool first = !polled;
    polled = true;
    std::string out;
    Millis newest = cursor;
    for (const auto& s : *changed) {
      auto it = sent.find(s.id);
      if (it != sent.end() && it->second == s.updated_at) continue;
      if (first && s.updated_at <= cursor) {
        sent[s.id] = s.updated_at;
        continue;
      }
      sent[s.id] = s.updated_at;
      newest = std::max(newest, s.updated_at);
      out += "event: snip\nid: " + std::to_string(newest) +
             "\ndata: " + snip_json(s).dump(-1, ' ', false, json::error_handler_t::replace) +
             "\n\n";
    }
    cursor = newest;
    for (auto it = sent.begin(); it != sent.end();)
      it = it->second < cursor - kLookBack ? sent.erase(it) : std::next(it);
    if (out.empty()) return true;
    last_write = now_ms();
    return write(out);
  }

  bool next(const StreamWrite& write) {
    if (!hello_sent) {
      hello_sent = true;
      last_write = now_ms();
      // retry: how long the browser waits before reconnecting.
      if (!write("retry: 3000\n: hark events\n\n")) return false;
      return poll(write);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(kPoll));
    const Millis now = now_ms();
    if (now - started > kLifetime) return false;
    if (!poll(write)) return false;
    if (last_write < now) {  // nothing went out this round: probe the connection
      last_write = now;
      return write(":\n");
    }
    return true;
  }
};

}  // namespace

Response handle_events(const Request& request, Context& ctx) {
  Millis since = now_ms();
  const auto last = request.header("last-event-id");
  const auto query = request.query_value("since");
  if (!last.empty()) {
    if (auto v = parse_millis(last)) since = *v;
  } else if (query && !query->empty()) {
    auto v = parse_millis(*query);
    if (!v) return error_response(invalid_input("'since' must be Unix milliseconds"));
    since = *v;
  }
  const int limit = std::max(1, ctx.options.http_threads / 2);
  if (++*ctx.open_streams > limit) {
    --*ctx.open_streams;
    auto r = error_response(503, "unavailable", "too many open event streams; try again soon");
    r.set_header("Retry-After", "30");
    return r;
  }
  auto stream = std::make_shared<EventStream>();
  stream->ctx = &ctx;
  stream->user_id = request.user_id();
  stream->cursor = since;
  stream->started = now_ms();
  stream->open = ctx.open_streams;
  Response r;
  r.content_type = "text/event-stream";
  r.set_header("Cache-Control", "no-store");
  r.set_header("X-Accel-Buffering", "no");  // nginx: pass events through at once
  r.stream = StreamBody{[stream](const StreamWrite& write) { return stream->next(write); }};
  return r;
}

}  // namespace hark::server
