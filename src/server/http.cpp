#include "server/http.hpp"

#include "core/text.hpp"

namespace hark::server {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  return text::to_lower_ascii(a) == text::to_lower_ascii(b);
}

}  // namespace

std::string Request::header(std::string_view name) const {
  for (const auto& [k, v] : headers)
    if (iequals(k, name)) return v;
  return "";
}

std::optional<std::string> Request::query_value(std::string_view name) const {
  for (const auto& [k, v] : query)
    if (k == name) return v;
  return std::nullopt;
}

std::string Request::cookie(std::string_view name) const {
  const std::string all = header("cookie");
  std::string_view rest = all;
  while (!rest.empty()) {
    const auto end = rest.find(';');
    std::string_view pair = text::trim(rest.substr(0, end));
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
    const auto eq = pair.find('=');
    if (eq == std::string_view::npos) continue;
    if (text::trim(pair.substr(0, eq)) == name) return std::string(text::trim(pair.substr(eq + 1)));
  }
  return "";
}

void Response::set_header(std::string name, std::string value) {
  for (auto& [k, v] : headers) {
    if (iequals(k, name)) {
      v = std::move(value);
      return;
    }
  }
  headers.emplace_back(std::move(name), std::move(value));
}

std::string Response::header(std::string_view name) const {
  for (const auto& [k, v] : headers)
    if (iequals(k, name)) return v;
  return "";
}

}  // namespace hark::server
