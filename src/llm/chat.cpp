#include "llm/chat.hpp"

namespace hark::llm {

std::string_view to_string(ReplyFormat format) {
  switch (format) {
    case ReplyFormat::Text:
      return "text";
    case ReplyFormat::JsonObject:
      return "json_object";
    case ReplyFormat::JsonSchema:
      return "json_schema";
  }
  return "text";
}

Result<std::string_view> json_object_in(std::string_view reply) {
  // Each '{' in turn may open the object (preamble text can hold braces of its own); the
  // first that closes, counting braces outside JSON strings, wins.
  for (std::size_t open = reply.find('{'); open != std::string_view::npos;
       open = reply.find('{', open + 1)) {
    int depth = 0;
    bool in_string = false;
    bool escaped = false;
    for (std::size_t i = open; i < reply.size(); ++i) {
      const char c = reply[i];
      if (in_string) {
        if (escaped) {
          escaped = false;
        } else if (c == '\\') {
          escaped = true;
        } else if (c == '"') {
          in_string = false;
        }
        continue;
      }
      if (c == '"') {
        in_string = true;
      } else if (c == '{') {
        ++depth;
      } else if (c == '}' && --depth == 0) {
        return reply.substr(open, i - open + 1);
      }
    }
  }
  return invalid_input("the reply holds no complete JSON object");
}

std::string repair_json(std::string_view json_text) {
  std::string out;
  out.reserve(json_text.size());
  bool in_string = false;
  for (std::size_t i = 0; i < json_text.size(); ++i) {
    const char c = json_text[i];
    if (!in_string) {
      if (c == '"') in_string = true;
      out += c;
      continue;
    }
    if (c == '\\' && i + 1 < json_text.size()) {
      const char next = json_text[++i];
      if (next == '\'') {
        out += '\'';
      } else {
        out += c;
        out += next;
      }
    } else if (c == '"') {
      in_string = false;
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace hark::llm
