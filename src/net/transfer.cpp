#include "net/transfer.hpp"

#include <sys/socket.h>

#include <cstring>
#include <optional>

#include "core/text.hpp"
#include "net/curl_handles.hpp"

namespace hark::net::detail {
namespace {

// State shared with the curl callbacks for one exchange.
struct Exchange {
  CURL* easy = nullptr;
  const AddressGuard* guard = nullptr;
  const ExchangeSpec* spec = nullptr;
  BodySink* sink = nullptr;
  const ProgressFn* progress = nullptr;

  Headers headers;
  bool begun = false;
  std::optional<Error> sink_error;
  bool cancelled = false;
  std::string refused_address;  // the last address the guard refused
  char error_buffer[CURL_ERROR_SIZE] = {};

  int status() const {
    long code = 0;
    curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &code);
    return static_cast<int>(code);
  }

  // Hands the sink the response head once, before the first body byte.
  bool begin_body() {
    if (begun) return true;
    begun = true;
    if (auto started = sink->begin(status(), headers); !started) {
      sink_error = std::move(started.error());
      return false;
    }
    return true;
  }
};

std::size_t on_header(char* buffer, std::size_t size, std::size_t count, void* user) {
  auto& ex = *static_cast<Exchange*>(user);
  const std::size_t n = size * count;
  const std::string_view line = text::trim(std::string_view(buffer, n));
  if (line.starts_with("HTTP/")) {
    ex.headers.clear();  // a new response head (after a 100 Continue, for instance)
  } else if (const auto colon = line.find(':'); colon != std::string_view::npos) {
    ex.headers.emplace_back(text::to_lower_ascii(text::trim(line.substr(0, colon))),
                            std::string(text::trim(line.substr(colon + 1))));
  }
  return n;
}

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto& ex = *static_cast<Exchange*>(user);
  const std::size_t n = size * count;
  if (!ex.begin_body()) return 0;
  if (auto written = ex.sink->write(std::string_view(data, n)); !written) {
    ex.sink_error = std::move(written.error());
    return 0;  // makes curl stop with CURLE_WRITE_ERROR
  }
  return n;
}

int on_progress(void* user, curl_off_t dltotal, curl_off_t dlnow, curl_off_t, curl_off_t) {
  auto& ex = *static_cast<Exchange*>(user);
  if (!*ex.progress) return 0;
  const std::int64_t offset = ex.sink->offset();
  const std::int64_t total = dltotal > 0 ? offset + dltotal : 0;
  if ((*ex.progress)(offset + dlnow, total)) return 0;
  ex.cancelled = true;
  return 1;
}

// The SSRF guard's connect-time half: every address curl is about to connect to,
// including each one it falls back to, after DNS resolution.
curl_socket_t on_open_socket(void* user, curlsocktype purpose, curl_sockaddr* address) {
  auto& ex = *static_cast<Exchange*>(user);
  const auto ip = IpAddress::from_sockaddr(&address->addr);
  const Url& url = *ex.spec->url;
  if (purpose != CURLSOCKTYPE_IPCXN || !ip || !ex.guard->allows(url.host, url.port, *ip)) {
    ex.refused_address = ip ? ip->to_string() : "a non-IP address";
    return CURL_SOCKET_BAD;
  }
  return ::socket(address->family, address->socktype | SOCK_CLOEXEC, address->protocol);
}

std::string format_seconds(long ms) {
  if (ms % 1000 == 0) return std::to_string(ms / 1000) + " s";
  return std::to_string(ms / 1000) + "." + std::to_string((ms % 1000) / 100) + " s";
}

// "Connection refused" -> "connection refused", to continue a sentence.
std::string lower_first(std::string s) {
  if (!s.empty() && s[0] >= 'A' && s[0] <= 'Z') s[0] = static_cast<char>(s[0] - 'A' + 'a');
  return s;
}

std::string curl_detail(CURLcode code, const char* error_buffer) {
  return lower_first(error_buffer[0] != '\0' ? error_buffer : curl_easy_strerror(code));
}

Error timeout_error(const Exchange& ex, const char* detail) {
  const ExchangeSpec& spec = *ex.spec;
  const std::string& host = spec.url->host;
  if (std::string_view(detail).starts_with("Operation too slow")) {
    return unavailable("the transfer from " + host + " stalled: no data for " +
                       format_seconds(spec.low_speed_timeout_ms));
  }
  curl_off_t connect_us = 0;
  curl_easy_getinfo(ex.easy, CURLINFO_CONNECT_TIME_T, &connect_us);
  if (connect_us == 0) {
    return unavailable("could not connect to " + host + ": timed out after " +
                       format_seconds(spec.connect_timeout_ms));
  }
  return unavailable("fetching " + spec.display_url + " timed out after " +
                     format_seconds(spec.timeout_ms));
}

Error tls_error(const std::string& host, std::string_view raw, const std::string& detail,
                bool certificate) {
  if (certificate) {
    // curl says "SSL certificate problem: unable to get local issuer certificate".
    constexpr std::string_view kCurlPrefix = "SSL certificate problem: ";
    const std::string why =
        raw.starts_with(kCurlPrefix) ? std::string(raw.substr(kCurlPrefix.size())) : detail;
    return unavailable("TLS certificate problem: " + why + " (" + host + ")");
  }
  return unavailable("could not set up a secure connection to " + host + ": " + detail);
}

// Turns a failed curl_easy_perform into an Error a user can act on.
Error classify_curl_error(CURLcode code, const Exchange& ex) {
  if (ex.sink_error) return *ex.sink_error;
  if (ex.cancelled || code == CURLE_ABORTED_BY_CALLBACK)
    return cancelled("the transfer of " + ex.spec->display_url + " was cancelled");
  const std::string& host = ex.spec->url->host;
  const std::string detail = curl_detail(code, ex.error_buffer);
  switch (code) {
    case CURLE_COULDNT_RESOLVE_HOST:
      return unavailable("could not resolve " + host +
                         ": check the address and the network connection");
    case CURLE_COULDNT_CONNECT: {
      if (!ex.refused_address.empty()) return private_address_error(ex.spec->display_url);
      long os_errno = 0;
      curl_easy_getinfo(ex.easy, CURLINFO_OS_ERRNO, &os_errno);
      const std::string why =
          os_errno != 0 ? lower_first(std::strerror(static_cast<int>(os_errno))) : detail;
      return unavailable("could not connect to " + host + ": " + why);
    }
    case CURLE_OPERATION_TIMEDOUT:
      return timeout_error(ex, ex.error_buffer);
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
      return tls_error(host, ex.error_buffer, detail, true);
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
      return tls_error(host, ex.error_buffer, detail, false);
    case CURLE_GOT_NOTHING:
      return unavailable(host + " closed the connection without answering");
    case CURLE_BAD_CONTENT_ENCODING:
      return unavailable(host + " sent a compressed body that could not be decoded: " + detail);
    case CURLE_WEIRD_SERVER_REPLY:
      return unavailable(host + " did not answer with valid HTTP: " + detail);
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
      return invalid_input("cannot fetch " + ex.spec->display_url + ": " + detail);
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
      return unavailable("the connection to " + host + " broke off: " + detail);
    default:
      return unavailable("fetching " + ex.spec->display_url + " failed: " + detail);
  }
}

bool is_token(std::string_view method) {
  return !method.empty() &&
         std::all_of(method.begin(), method.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

// Header names and values must not smuggle in extra lines.
bool is_safe_header_text(std::string_view s) {
  return s.find_first_of("\r\n") == std::string_view::npos && s.find('\0') == s.npos;
}

Result<SlistPtr> build_headers(const ExchangeSpec& spec) {
  SlistPtr list;
  auto append = [&list](const std::string& line) -> Status {
    curl_slist* next = curl_slist_append(list.get(), line.c_str());
    if (next == nullptr) return internal_error("out of memory building request headers");
    (void)list.release();
    list.reset(next);
    return ok();
  };
  for (const auto& [name, value] : *spec.headers) {
    if (name.empty() || !is_safe_header_text(name) || !is_safe_header_text(value))
      return invalid_input("request header \"" + name + "\" contains a line break");
    // "Name;" is curl's spelling of a header with an empty value.
    HARK_TRY(append(value.empty() ? name + ";" : name + ": " + value));
  }
  const Request& request = *spec.request;
  if (!is_safe_header_text(request.if_none_match) ||
      !is_safe_header_text(request.if_modified_since))
    return invalid_input("a conditional request validator contains a line break");
  if (!request.if_none_match.empty()) HARK_TRY(append("If-None-Match: " + request.if_none_match));
  if (!request.if_modified_since.empty())
    HARK_TRY(append("If-Modified-Since: " + request.if_modified_since));
  // Without this curl waits up to a second for "100 Continue" before sending big bodies.
  HARK_TRY(append("Expect:"));
  return list;
}

Status set_method(CURL* easy, const ExchangeSpec& spec) {
  if (!is_token(spec.method))
    return invalid_input("unsupported HTTP method \"" + spec.method + "\"");
  if (spec.method == "GET") {
    curl_easy_setopt(easy, CURLOPT_HTTPGET, 1L);
  } else if (spec.method == "HEAD") {
    curl_easy_setopt(easy, CURLOPT_NOBODY, 1L);
  } else if (spec.method != "POST") {
    curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, spec.method.c_str());
  }
  if (spec.send_body || spec.method == "POST") {
    const std::string& body = spec.request->body;
    curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    curl_easy_setopt(easy, CURLOPT_POSTFIELDS, body.data());
  }
  return ok();
}

void set_limits(CURL* easy, const ExchangeSpec& spec) {
  curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, spec.connect_timeout_ms);
  curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, spec.timeout_ms);
  if (spec.low_speed_timeout_ms > 0) {
    curl_easy_setopt(easy, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(easy, CURLOPT_LOW_SPEED_TIME,
                     std::max(1L, (spec.low_speed_timeout_ms + 999) / 1000));
  }
}

void set_callbacks(CURL* easy, Exchange& ex) {
  curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, &on_header);
  curl_easy_setopt(easy, CURLOPT_HEADERDATA, &ex);
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &on_body);
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, &ex);
  curl_easy_setopt(easy, CURLOPT_XFERINFOFUNCTION, &on_progress);
  curl_easy_setopt(easy, CURLOPT_XFERINFODATA, &ex);
  curl_easy_setopt(easy, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(easy, CURLOPT_OPENSOCKETFUNCTION, &on_open_socket);
  curl_easy_setopt(easy, CURLOPT_OPENSOCKETDATA, &ex);
  curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, ex.error_buffer);
}

}  // namespace

Result<ExchangeResult> exchange(CURL* easy, const AddressGuard& guard, const ExchangeSpec& spec,
                                BodySink& sink, const ProgressFn& progress) {
  if (easy == nullptr) return internal_error("out of memory: could not create a curl handle");
  Exchange ex;
  ex.easy = easy;
  ex.guard = &guard;
  ex.spec = &spec;
  ex.sink = &sink;
  ex.progress = &progress;
  auto headers = build_headers(spec);
  if (!headers) return headers.error();
  HARK_TRY(set_method(easy, spec));

  curl_easy_setopt(easy, CURLOPT_URL, spec.url->text.c_str());
  // Redirects are followed by the caller, one guarded hop at a time.
  curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
  // A proxy would make the guard vet the proxy's address instead of the destination's.
  curl_easy_setopt(easy, CURLOPT_PROXY, "");
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);  // signals and threads do not mix
  curl_easy_setopt(easy, CURLOPT_USERAGENT, spec.user_agent.c_str());
  curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers->get());
  if (spec.decode_content) curl_easy_setopt(easy, CURLOPT_ACCEPT_ENCODING, "");
  const std::string range = std::to_string(spec.range_from) + "-";
  if (spec.range_from > 0) curl_easy_setopt(easy, CURLOPT_RANGE, range.c_str());
  set_limits(easy, spec);
  set_callbacks(easy, ex);

  const CURLcode code = curl_easy_perform(easy);
  if (code != CURLE_OK) return classify_curl_error(code, ex);
  if (!ex.begin_body()) return *ex.sink_error;  // an empty body still starts the sink
  return ExchangeResult{ex.status(), std::move(ex.headers)};
}

}  // namespace hark::net::detail
