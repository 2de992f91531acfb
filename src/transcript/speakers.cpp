#include "transcript/speakers.hpp"

#include <unicode/unistr.h>

#include <algorithm>
#include <array>
#include <string>

#include "core/text.hpp"

namespace hark::transcript {
namespace {

constexpr std::array<std::string_view, 9> kHonorifics = {"dr",   "mr",        "mrs", "ms",  "mx",
                                                         "prof", "professor", "sir", "dame"};

using Tokens = std::vector<std::string>;

// Case-folded words without honorifics and trailing punctuation: "Dr. Priya Raman:" ->
// {"priya", "raman"}.
Tokens name_tokens(std::string_view name) {
  std::string folded;
  icu::UnicodeString::fromUTF8(icu::StringPiece(name.data(), static_cast<int32_t>(name.size())))
      .foldCase()
      .toUTF8String(folded);
  Tokens tokens;
  for (auto& word : text::split(text::collapse_whitespace(folded), ' ')) {
    while (!word.empty() && (word.back() == '.' || word.back() == ':' || word.back() == ','))
      word.pop_back();
    if (word.empty() ||
        std::find(kHonorifics.begin(), kHonorifics.end(), word) != kHonorifics.end())
      continue;
    tokens.push_back(std::move(word));
  }
  return tokens;
}

// The only person for which `fits` holds, or nullptr if none or several.
template <typename Fits>
const Person* unique(const std::vector<Person>& persons, const std::vector<Tokens>& names,
                     Fits fits) {
  const Person* found = nullptr;
  for (std::size_t i = 0; i < persons.size(); ++i) {
    if (names[i].empty() || !fits(names[i])) continue;
    if (found != nullptr && found->name != persons[i].name) return nullptr;
    found = &persons[i];
  }
  return found;
}

const Person* match(const Tokens& label, const std::vector<Person>& persons,
                    const std::vector<Tokens>& names) {
  if (label.empty()) return nullptr;
  if (auto* p = unique(persons, names, [&](const Tokens& n) { return n == label; })) return p;
  if (label.size() == 1) {
    if (auto* p =
            unique(persons, names, [&](const Tokens& n) { return n.front() == label.front(); }))
      return p;
    if (auto* p =
            unique(persons, names, [&](const Tokens& n) { return n.back() == label.front(); }))
      return p;
  }
  return unique(persons, names,
                [&](const Tokens& n) { return n.size() == 1 && n.front() == label.front(); });
}

}  // namespace

void resolve_speakers(Transcript& t, const std::vector<Person>& persons) {
  std::vector<Tokens> names;
  names.reserve(persons.size());
  for (const auto& p : persons) names.push_back(name_tokens(p.name));
  for (auto& speaker : t.speakers) {
    const auto label = name_tokens(speaker.name.empty() ? speaker.id : speaker.name);
    if (const Person* p = match(label, persons, names)) {
      speaker.name = p->name;
      speaker.role = text::to_lower_ascii(p->role);
    }
  }
}

}  // namespace hark::transcript
