// A small logic-less template language for notes (a subset of Mustache), so people can
// change how an exported note looks without rebuilding hark:
//   {{name}}              the value (text or number) of `name`; "" when missing
//   {{#name}}…{{/name}}   a list: once per item (inside, {{.}} is the item and its fields
//                         are names); text or true: once when non-empty; else skipped
//   {{^name}}…{{/name}}   once when `name` is missing, empty, false or an empty list
//   {{! comment }}        dropped
// Names are looked up in the innermost item first, then outwards. Values are inserted as
// they are (notes are Markdown, not HTML): the exporter escapes what needs escaping.
//
// Pure; safe from any thread.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace hark::exports {

// Renders `source` with `data` (a JSON object). InvalidInput naming the line for an
// unclosed or mismatched section, so a user who edits a template sees what to fix.
Result<std::string> render_template(std::string_view source, const nlohmann::json& data);

}  // namespace hark::exports
