#include "server/api_support.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstring>
#include <filesystem>

namespace hark::server {

using nlohmann::json;

Response json_response(int status, const json& body) {
  Response r;
  r.status = status;
  r.content_type = "application/json";
  r.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
  return r;
}

Response no_content() {
  Response r;
  r.status = 204;
  r.content_type = "application/json";
  return r;
}

Result<json> json_body(const Request& request) {
  auto j = json::parse(request.body, nullptr, false);
  if (j.is_discarded() || !j.is_object())
    return invalid_input("the request body must be a JSON object");
  return j;
}

Result<std::optional<std::string>> string_member(const json& j, std::string_view key) {
  const auto it = j.find(key);
  if (it == j.end() || it->is_null()) return std::optional<std::string>();
  if (!it->is_string()) return invalid_input("'" + std::string(key) + "' must be a string");
  return std::optional<std::string>(it->get<std::string>());
}

Result<std::optional<std::int64_t>> int_member(const json& j, std::string_view key) {
  const auto it = j.find(key);
  if (it == j.end() || it->is_null()) return std::optional<std::int64_t>();
  if (it->is_number_integer()) return std::optional<std::int64_t>(it->get<std::int64_t>());
  if (it->is_number_float()) {  // players report fractional milliseconds; round them
    const double d = it->get<double>();
    if (d > -9e15 && d < 9e15)
      return std::optional<std::int64_t>(static_cast<std::int64_t>(d + (d < 0 ? -0.5 : 0.5)));
  }
  return invalid_input("'" + std::string(key) + "' must be a number");
}

Result<std::optional<bool>> bool_member(const json& j, std::string_view key) {
  const auto it = j.find(key);
  if (it == j.end() || it->is_null()) return std::optional<bool>();
  if (!it->is_boolean()) return invalid_input("'" + std::string(key) + "' must be true or false");
  return std::optional<bool>(it->get<bool>());
}

Result<Id> id_param(const Request& request, std::string_view name) {
  const auto it = request.params.find(name);
  if (it == request.params.end()) return not_found("no id in the path");
  Id id = 0;
  const auto& s = it->second;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), id);
  if (ec != std::errc() || ptr != s.data() + s.size() || id <= 0)
    return not_found("'" + s + "' is not an id");
  return id;
}

Result<int> int_query(const Request& request, std::string_view name, int fallback, int max) {
  const auto v = request.query_value(name);
  if (!v || v->empty()) return fallback;
  int n = 0;
  const auto [ptr, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
  if (ec != std::errc() || ptr != v->data() + v->size() || n < 0)
    return invalid_input("'" + std::string(name) + "' must be a whole number ≥ 0");
  return std::min(n, max);
}

Result<Podcast> visible_podcast(Context& ctx, const Request& request) {
  auto id = id_param(request);
  if (!id) return id.error();
  auto& store = ctx.app.store();
  auto subscribed = store.subscriptions().is_subscribed(request.user_id(), *id);
  if (!subscribed) return subscribed.error();
  // Another user's podcast is answered exactly like a missing one.
  if (!*subscribed) return not_found("no podcast with id " + std::to_string(*id));
  return store.podcasts().find(*id);
}

Result<Episode> visible_episode(Context& ctx, const Request& request) {
  auto id = id_param(request);
  if (!id) return id.error();
  auto& store = ctx.app.store();
  auto visible = store.subscriptions().can_see_episode(request.user_id(), *id);
  if (!visible) return visible.error();
  if (!*visible) return not_found("no episode with id " + std::to_string(*id));
  return store.episodes().find(*id);
}

namespace {

EpisodeExtras extras_of(const Episode& episode, store::EpisodeUserState state) {
  EpisodeExtras x;
  x.position = std::move(state.position);
  x.transcript_ready = state.transcript_ready;
  x.chapter_count = state.chapter_count;
  std::error_code ec;
  x.downloaded =
      !episode.download_path.empty() && std::filesystem::is_regular_file(episode.download_path, ec);
  return x;
}

}  // namespace

Result<EpisodeExtras> episode_extras(Context& ctx, Id user_id, const Episode& episode) {
  auto states = ctx.app.store().episodes().user_states(user_id, {episode.id});
  if (!states) return states.error();
  if (states->size() != 1) return internal_error("no listening state for one episode");
  return extras_of(episode, std::move(states->front()));
}

Result<std::string> episode_list_text(Context& ctx, Id user_id,
                                      const std::vector<Episode>& episodes) {
  std::vector<Id> ids;
  ids.reserve(episodes.size());
  for (const auto& e : episodes) ids.push_back(e.id);
  auto states = ctx.app.store().episodes().user_states(user_id, ids);
  if (!states) return states.error();
  if (states->size() != episodes.size())
    return internal_error("listening states do not match the episodes");
  std::string out;
  out.reserve(episodes.size() * 768 + 2);
  out += '[';
  for (std::size_t i = 0; i < episodes.size(); ++i) {
    if (i > 0) out += ',';
    write_episode_json(out, episodes[i], extras_of(episodes[i], std::move((*states)[i])));
  }
  out += ']';
  return out;
}

Response episode_list_response(const std::string& list, const json& rest) {
  Response r;
  r.status = 200;
  r.content_type = "application/json";
  const std::string tail = rest.dump(-1, ' ', false, json::error_handler_t::replace);
  r.body.reserve(list.size() + tail.size() + 16);
  r.body += "{\"episodes\":";
  r.body += list;
  // tail is "{...}" or "{}": its members follow the list.
  if (tail.size() > 2) {
    r.body += ',';
    r.body.append(tail, 1, std::string::npos);
  } else {
    r.body += '}';
  }
  return r;
}

std::string cursor_text(const store::EpisodeCursor& cursor) {
  return (cursor.published_at ? std::to_string(*cursor.published_at) : std::string("n")) + "." +
         std::to_string(cursor.id);
}

Result<std::optional<store::EpisodeCursor>> cursor_query(const Request& request) {
  const auto v = request.query_value("cursor");
  if (!v || v->empty()) return std::optional<store::EpisodeCursor>();
  const auto bad = [] {
    return invalid_input("'cursor' must be a next_cursor value from an earlier page");
  };
  const auto dot = v->find('.');
  if (dot == std::string::npos) return bad();
  const auto parse = [](std::string_view s, std::int64_t& out) {
    const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return !s.empty() && ec == std::errc() && ptr == s.data() + s.size();
  };
  store::EpisodeCursor c;
  const std::string_view text(*v);
  const auto date = text.substr(0, dot);
  if (date != "n") {
    std::int64_t at = 0;
    if (!parse(date, at)) return bad();
    c.published_at = at;
  }
  if (!parse(text.substr(dot + 1), c.id) || c.id <= 0) return bad();
  return std::optional<store::EpisodeCursor>(c);
}

json next_cursor_json(const std::vector<Episode>& page, int limit) {
  if (limit <= 0 || page.size() < static_cast<std::size_t>(limit)) return nullptr;
  return cursor_text(store::cursor_of(page.back()));
}

std::string public_base_url(const Context& ctx, const Request& request) {
  std::string url = ctx.options.public_url;
  if (!url.empty()) {
    while (!url.empty() && url.back() == '/') url.pop_back();
    return url;
  }
  const bool https = ctx.options.secure_cookies || request.header("x-forwarded-proto") == "https";
  std::string host = request.header("host");
  const bool plain =
      !host.empty() && host.size() < 256 && std::all_of(host.begin(), host.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == ':' ||
               c == '[' || c == ']';
      });
  if (!plain) {
    const auto& h = ctx.options.host;
    host = (h == "0.0.0.0" || h.empty() ? std::string("localhost") : h) + ":" +
           std::to_string(ctx.options.port);
  }
  return std::string(https ? "https://" : "http://") + host;
}

std::string attachment_disposition(std::string_view name) {
  std::string ascii;
  std::string encoded;
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (std::size_t i = 0; i < name.size(); ++i) {
    const auto c = static_cast<unsigned char>(name[i]);
    // Characters that need no quoting inside a quoted-string or a token (no '"', '\\',
    // '%' or controls; strchr would find the terminating NUL, hence c != 0).
    const bool plain =
        c != 0 && c < 0x80 && (std::isalnum(c) || std::strchr(" !#$&+-.^_`|~()[]{},;=@", c));
    if (plain) {
      ascii.push_back(static_cast<char>(c));
    } else if (c >= 0x80) {
      if ((c & 0xC0) != 0x80) ascii.push_back('_');  // one '_' per character
    } else {
      ascii.push_back('_');
    }
    if (c != 0 && c < 0x80 && (std::isalnum(c) || std::strchr("!#$&+-.^_`|~", c))) {
      encoded.push_back(static_cast<char>(c));
    } else {
      encoded += '%';
      encoded += kHex[c >> 4];
      encoded += kHex[c & 0xF];
    }
  }
  if (ascii.empty()) ascii = "download";
  return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
}

}  // namespace hark::server
