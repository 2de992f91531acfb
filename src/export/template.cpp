#include "export/template.hpp"

#include <vector>

namespace hark::exports {
namespace {

using Json = nlohmann::json;

std::string line_of(std::string_view source, std::size_t pos) {
  std::size_t line = 1;
  for (std::size_t i = 0; i < pos && i < source.size(); ++i)
    if (source[i] == '\n') ++line;
  return "line " + std::to_string(line);
}

const Json* lookup(const std::vector<const Json*>& stack, const std::string& name) {
  if (name == ".") return stack.back();
  for (auto it = stack.rbegin(); it != stack.rend(); ++it) {
    const Json& scope = **it;
    if (scope.is_object()) {
      const auto found = scope.find(name);
      if (found != scope.end()) return &*found;
    }
  }
  return nullptr;
}

bool truthy(const Json* v) {
  if (v == nullptr || v->is_null()) return false;
  if (v->is_boolean()) return v->get<bool>();
  if (v->is_string()) return !v->get_ref<const std::string&>().empty();
  if (v->is_array() || v->is_object()) return !v->empty();
  return true;
}

std::string text_of(const Json* v) {
  if (v == nullptr || v->is_null()) return "";
  if (v->is_string()) return v->get<std::string>();
  if (v->is_boolean()) return v->get<bool>() ? "true" : "false";
  if (v->is_number()) return v->dump();
  return "";
}

// A parsed tag: its kind ('#', '^', '/', '!', or 0 for a variable), name and extent.
struct Tag {
  char kind = 0;
  std::string name;
  std::size_t begin = 0;  // of "{{"
  std::size_t end = 0;    // after "}}"
};

Result<std::optional<Tag>> next_tag(std::string_view source, std::size_t from) {
  const auto open = source.find("{{", from);
  if (open == std::string_view::npos) return std::optional<Tag>{};
  const auto close = source.find("}}", open + 2);
  if (close == std::string_view::npos)
    return invalid_input("the template has a '{{' without '}}' at " + line_of(source, open));
  Tag tag;
  tag.begin = open;
  tag.end = close + 2;
  std::string_view inner = source.substr(open + 2, close - open - 2);
  if (!inner.empty() &&
      (inner[0] == '#' || inner[0] == '^' || inner[0] == '/' || inner[0] == '!')) {
    tag.kind = inner[0];
    inner.remove_prefix(1);
  }
  while (!inner.empty() && inner.front() == ' ') inner.remove_prefix(1);
  while (!inner.empty() && inner.back() == ' ') inner.remove_suffix(1);
  tag.name = std::string(inner);
  return std::optional<Tag>(tag);
}

// A standalone section tag (alone on its line, apart from spaces) takes its line with it,
// so templates can put {{#snips}} on a line of its own without leaving blank lines.
void standalone_extent(std::string_view source, Tag& tag) {
  if (tag.kind == 0) return;
  std::size_t b = tag.begin;
  while (b > 0 && (source[b - 1] == ' ' || source[b - 1] == '\t')) --b;
  if (b > 0 && source[b - 1] != '\n') return;
  std::size_t e = tag.end;
  while (e < source.size() && (source[e] == ' ' || source[e] == '\t')) ++e;
  if (e < source.size() && source[e] == '\r') ++e;
  if (e < source.size() && source[e] != '\n') return;
  tag.begin = b;
  tag.end = e < source.size() ? e + 1 : e;
}

// Finds the {{/name}} that closes a section opened before `from`.
Result<Tag> find_close(std::string_view source, std::size_t from, const std::string& name,
                       std::size_t open_pos) {
  int depth = 0;
  std::size_t pos = from;
  while (true) {
    auto tag = next_tag(source, pos);
    if (!tag) return tag.error();
    if (!*tag)
      return invalid_input("the template's section '{{#" + name + "}}' at " +
                           line_of(source, open_pos) + " has no '{{/" + name + "}}'");
    standalone_extent(source, **tag);
    pos = (*tag)->end;
    if (((*tag)->kind == '#' || (*tag)->kind == '^') && (*tag)->name == name) ++depth;
    if ((*tag)->kind == '/' && (*tag)->name == name) {
      if (depth == 0) return **tag;
      --depth;
    }
  }
}

Status render(std::string_view source, std::vector<const Json*>& stack, std::string& out) {
  std::size_t pos = 0;
  while (pos <= source.size()) {
    auto found = next_tag(source, pos);
    if (!found) return found.error();
    if (!*found) {
      out.append(source.substr(pos));
      return ok();
    }
    Tag tag = **found;
    standalone_extent(source, tag);
    out.append(source.substr(pos, tag.begin - pos));
    pos = tag.end;
    switch (tag.kind) {
      case '!':
        break;
      case '/':
        return invalid_input("the template closes '{{/" + tag.name + "}}' at " +
                             line_of(source, tag.begin) + " without opening it");
      case '#':
      case '^': {
        auto close = find_close(source, pos, tag.name, tag.begin);
        if (!close) return close.error();
        const std::string_view body = source.substr(pos, close->begin - pos);
        const Json* value = lookup(stack, tag.name);
        if (tag.kind == '^') {
          if (!truthy(value)) HARK_TRY(render(body, stack, out));
        } else if (value != nullptr && value->is_array()) {
          for (const auto& item : *value) {
            stack.push_back(&item);
            const auto s = render(body, stack, out);
            stack.pop_back();
            HARK_TRY(s);
          }
        } else if (truthy(value)) {
          if (value->is_object()) stack.push_back(value);
          const auto s = render(body, stack, out);
          if (value->is_object()) stack.pop_back();
          HARK_TRY(s);
        }
        pos = close->end;
        break;
      }
      default:
        out += text_of(lookup(stack, tag.name));
    }
  }
  return ok();
}

}  // namespace

Result<std::string> render_template(std::string_view source, const nlohmann::json& data) {
  std::vector<const Json*> stack{&data};
  std::string out;
  HARK_TRY(render(source, stack, out));
  return out;
}

}  // namespace hark::exports
