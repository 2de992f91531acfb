// OPML subscription lists, in and out. Pure.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace hark::feed {

struct OpmlEntry {
  std::string title;
  std::string xml_url;
  std::string html_url;
};

// Every outline with an xmlUrl, at any depth (nested folders are flattened), de-duplicated.
Result<std::vector<OpmlEntry>> parse_opml(std::string_view bytes);

std::string write_opml(const std::vector<OpmlEntry>& entries, std::string_view title = "hark subscriptions");

}  // namespace hark::feed
