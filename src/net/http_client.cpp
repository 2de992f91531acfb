// The libcurl HttpClient: redirects, retries and policy on top of single exchanges.
#include "net/http_client.hpp"

#include <algorithm>

#include "core/text.hpp"
#include "net/address_policy.hpp"
#include "net/body_sink.hpp"
#include "net/curl_handles.hpp"
#include "net/local_file.hpp"
#include "net/transfer.hpp"
#include "net/url.hpp"

namespace hark::net {
namespace {

using detail::find_header;

// Sent once after a 403 to our own agent: some hosts (Acast, some CDNs) refuse agents
// they do not recognise.
constexpr std::string_view kBrowserUserAgent =
    "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";

bool is_http(const Url& url) {
  return url.scheme == "http" || url.scheme == "https";
}

bool is_redirect(int status) {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

bool has_header(const Headers& headers, std::string_view name) {
  return std::any_of(headers.begin(), headers.end(),
                     [name](const auto& h) { return text::iequals(h.first, name); });
}

void drop_headers(Headers& headers, std::initializer_list<std::string_view> names) {
  std::erase_if(headers, [names](const auto& h) {
    return std::any_of(names.begin(), names.end(),
                       [&h](std::string_view n) { return text::iequals(h.first, n); });
  });
}

// Rewrites the request for the next hop the way browsers do: 303 (and 301/302 after a
// POST) continue as a bodiless GET; credentials do not follow a redirect to another origin.
void adapt_for_redirect(Request& request, int status, bool origin_changed) {
  const bool to_get = (status == 303 && request.method != "HEAD") ||
                      ((status == 301 || status == 302) && request.method == "POST");
  if (to_get) {
    request.method = "GET";
    request.body.clear();
    drop_headers(request.headers, {"content-type", "content-length"});
  }
  if (origin_changed)
    drop_headers(request.headers, {"authorization", "cookie", "proxy-authorization"});
}

// Where a redirect goes, after checking it is neither a loop nor one hop too many.
// `visited` holds the URLs already fetched in this chain.
Result<Url> redirect_target(const Url& current, std::string_view location,
                            std::vector<std::string>& visited, int max_redirects) {
  auto resolved = resolve_url(current.text, location);
  if (!resolved) return resolved.error();
  auto next = parse_url(*resolved);
  if (!next) return next.error();
  if (next->text == current.text)
    return unavailable("redirect loop: " + current.text + " redirects to itself");
  if (std::find(visited.begin(), visited.end(), next->text) != visited.end()) {
    return unavailable("redirect loop: " + current.text + " redirects back to " + next->text);
  }
  visited.push_back(current.text);
  if (static_cast<int>(visited.size()) > max_redirects) {
    return unavailable("too many redirects: " + visited.front() + " was redirected more than " +
                       std::to_string(max_redirects) + " times (last to " + next->text + ")");
  }
  if (!is_http(*next)) {
    return forbidden("refusing to follow the redirect from " + current.text + " to " + next->text +
                     ": only http and https URLs are allowed");
  }
  return next;
}

std::string_view reason_phrase(int status) {
  switch (status) {
    case 400:
      return " Bad Request";
    case 401:
      return " Unauthorized";
    case 403:
      return " Forbidden";
    case 404:
      return " Not Found";
    case 410:
      return " Gone";
    case 429:
      return " Too Many Requests";
    case 500:
      return " Internal Server Error";
    case 502:
      return " Bad Gateway";
    case 503:
      return " Service Unavailable";
    case 504:
      return " Gateway Timeout";
    default:
      return "";
  }
}

Error status_error(int status, const std::string& url) {
  std::string message = "the server answered " + std::to_string(status) +
                        std::string(reason_phrase(status)) + " for " + url;
  if (status == 404 || status == 410) return not_found(std::move(message));
  return unavailable(std::move(message));
}

class CurlHttpClient final : public HttpClient {
 public:
  explicit CurlHttpClient(Policy policy)
      : policy_(std::move(policy)),
        guard_(policy_),
        user_agent_(policy_.user_agent.empty() ? std::string(kDefaultUserAgent)
                                               : policy_.user_agent) {}

  Result<Response> fetch(const Request& request, const ProgressFn& progress) override {
    const std::int64_t cap =
        request.max_body_bytes > 0 ? request.max_body_bytes : policy_.max_body_bytes;
    if (is_local_target(request.url)) {
      HARK_TRY(check_local_allowed(request.url));
      return detail::read_local_file(request.url, cap, progress);
    }
    detail::StringSink sink(cap);
    auto outcome = run(request, sink, progress, Transfer::Fetch, 0);
    if (!outcome) return outcome.error();
    return Response{.status = outcome->status,
                    .final_url = std::move(outcome->final_url),
                    .headers = std::move(outcome->headers),
                    .body = sink.take_body()};
  }

  Result<DownloadResult> download(const Request& request, const std::filesystem::path& file,
                                  std::int64_t resume_from, const ProgressFn& progress,
                                  std::int64_t max_bytes) override {
    if (is_local_target(request.url)) HARK_TRY(check_local_allowed(request.url));
    auto sink = detail::FileSink::open(file, resume_from, max_bytes);
    if (!sink) return sink.error();
    detail::FileSink& out = **sink;
    if (is_local_target(request.url)) return detail::copy_local_file(request.url, out, progress);

    auto outcome = run(request, out, progress, Transfer::Download, out.resume_from());
    if (!outcome) return outcome.error();
    const int status = outcome->status;
    if (status != 416 && (status < 200 || status >= 300))
      return status_error(status, outcome->final_url);
    return DownloadResult{
        .status = status,
        .final_url = std::move(outcome->final_url),
        .content_type = std::string(find_header(outcome->headers, "content-type")),
        .bytes_written = status == 416 ? 0 : out.written(),
        .resumed = status == 206,
        .total_length = out.total()};
  }

 private:
  enum class Transfer { Fetch, Download };
  struct Outcome {
    int status = 0;
    std::string final_url;
    Headers headers;
  };

  Status check_local_allowed(const std::string& target) const {
    if (policy_.allow_local_files) return ok();
    return forbidden("refusing to read the local file " + target +
                     ": local files are not allowed (allow local files in the configuration to "
                     "permit this)");
  }

  detail::ExchangeSpec make_spec(const Url& url, std::string display, const Request& request,
                                 std::string user_agent, Transfer kind,
                                 std::int64_t range_from) const {
    const bool bodiless = request.method == "GET" || request.method == "HEAD";
    return {.url = &url,
            .display_url = std::move(display),
            .request = &request,
            .method = request.method,
            .send_body = !bodiless && !request.body.empty(),
            .headers = &request.headers,
            .user_agent = std::move(user_agent),
            // Media is compressed already, and Range offsets must count stored bytes.
            .decode_content = kind == Transfer::Fetch,
            .connect_timeout_ms = policy_.connect_timeout_ms,
            .timeout_ms = request.timeout_ms > 0       ? request.timeout_ms
                          : kind == Transfer::Download ? 0
                                                       : policy_.timeout_ms,
            .low_speed_timeout_ms = policy_.low_speed_timeout_ms,
            .range_from = range_from};
  }

  bool may_retry_with_browser_agent(const Request& request, int status, bool retried) const {
    return status == 403 && !retried && (request.method == "GET" || request.method == "HEAD") &&
           !has_header(request.headers, "user-agent");
  }

  // Follows redirects hop by hop; each hop is checked by the guard before and during its
  // connection.
  Result<Outcome> run(const Request& original, detail::BodySink& sink, const ProgressFn& progress,
                      Transfer kind, std::int64_t range_from) {
    auto url = parse_url(original.url);
    if (!url) return url.error();
    if (!is_http(*url)) {
      return invalid_input("cannot fetch " + url->text +
                           ": only http and https URLs are supported");
    }
    Request request = original;
    std::vector<std::string> visited;
    std::string user_agent = user_agent_;
    bool retried = false;
    while (true) {
      const std::string display =
          visited.empty() ? url->text : url->text + " (redirected from " + visited.front() + ")";
      HARK_TRY(guard_.precheck(display, url->host, url->port));
      auto response = [&] {
        detail::EasyLease lease(pool_);
        const auto spec = make_spec(*url, display, request, user_agent, kind, range_from);
        return detail::exchange(lease.get(), guard_, spec, sink, progress);
      }();
      if (!response) return response.error();
      if (may_retry_with_browser_agent(request, response->status, retried)) {
        retried = true;
        user_agent = kBrowserUserAgent;
        continue;
      }
      const auto location = find_header(response->headers, "location");
      if (!is_redirect(response->status) || location.empty())
        return Outcome{response->status, url->text, std::move(response->headers)};
      auto next = redirect_target(*url, location, visited, policy_.max_redirects);
      if (!next) return next.error();
      const bool origin_changed =
          next->scheme != url->scheme || next->host != url->host || next->port != url->port;
      adapt_for_redirect(request, response->status, origin_changed);
      url = std::move(next);
    }
  }

  const Policy policy_;
  const AddressGuard guard_;
  const std::string user_agent_;
  detail::EasyPool pool_;
};

}  // namespace

std::string Response::header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (text::iequals(key, name)) return value;
  }
  return {};
}

std::unique_ptr<HttpClient> make_http_client(Policy policy) {
  return std::make_unique<CurlHttpClient>(std::move(policy));
}

}  // namespace hark::net
