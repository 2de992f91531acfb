#include "store/sqlite/codec.hpp"

#include <nlohmann/json.hpp>
#include <stdexcept>

namespace hark::store::sqlite {
namespace {

using nlohmann::json;

json to_json(const Person& p) {
  return {{"name", p.name}, {"role", p.role}, {"group", p.group}, {"img", p.img}, {"href", p.href}};
}

json to_json(const TranscriptLink& t) {
  return {{"url", t.url}, {"type", t.type}, {"language", t.language}, {"rel", t.rel}};
}

json to_json(const Soundbite& s) {
  return {{"start_ms", s.start_ms}, {"duration_ms", s.duration_ms}, {"title", s.title}};
}

json to_json(const Speaker& s) {
  return {{"id", s.id}, {"name", s.name}, {"role", s.role}};
}

// json::value() keeps the struct's default when a field is missing and throws when it has
// the wrong type; decode_list turns that into an Error.
void from_json(const json& j, Person& p) {
  p.name = j.value("name", p.name);
  p.role = j.value("role", p.role);
  p.group = j.value("group", p.group);
  p.img = j.value("img", p.img);
  p.href = j.value("href", p.href);
}

void from_json(const json& j, TranscriptLink& t) {
  t.url = j.value("url", t.url);
  t.type = j.value("type", t.type);
  t.language = j.value("language", t.language);
  t.rel = j.value("rel", t.rel);
}

void from_json(const json& j, Soundbite& s) {
  s.start_ms = j.value("start_ms", s.start_ms);
  s.duration_ms = j.value("duration_ms", s.duration_ms);
  s.title = j.value("title", s.title);
}

void from_json(const json& j, Speaker& s) {
  s.id = j.value("id", s.id);
  s.name = j.value("name", s.name);
  s.role = j.value("role", s.role);
}

std::string dump(const json& value) {
  // Feed and recogniser text is not guaranteed to be valid UTF-8; replace bad bytes
  // instead of throwing.
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

template <typename T>
std::string encode_list(const std::vector<T>& items) {
  json array = json::array();
  for (const auto& item : items) array.push_back(to_json(item));
  return dump(array);
}

template <typename T>
Result<std::vector<T>> decode_list(std::string_view text, std::string_view what) {
  const auto fail = [&](std::string_view why) {
    return internal_error("stored " + std::string(what) + " are unreadable (" + std::string(why) +
                          "): " + std::string(text.substr(0, 80)));
  };
  const json array = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!array.is_array()) return fail("not a JSON array");
  std::vector<T> items;
  items.reserve(array.size());
  try {
    for (const auto& element : array) {
      if (!element.is_object()) return fail("an element is not an object");
      T item;
      from_json(element, item);
      items.push_back(std::move(item));
    }
  } catch (const json::exception& e) {
    return fail(e.what());
  }
  return items;
}

Word word_from_tuple(const json& tuple) {
  if (!tuple.is_array() || tuple.size() != 4) throw std::invalid_argument("not a 4-tuple");
  Word w;
  w.start_ms = tuple[0].get<Millis>();
  w.end_ms = tuple[1].get<Millis>();
  w.text = tuple[2].get<std::string>();
  if (!tuple[3].is_null()) w.confidence = tuple[3].get<double>();
  return w;
}

}  // namespace

std::string encode_persons(const std::vector<Person>& persons) {
  return encode_list(persons);
}
std::string encode_transcripts(const std::vector<TranscriptLink>& transcripts) {
  return encode_list(transcripts);
}
std::string encode_soundbites(const std::vector<Soundbite>& soundbites) {
  return encode_list(soundbites);
}

std::string encode_speakers(const std::vector<Speaker>& speakers) {
  return encode_list(speakers);
}

std::string encode_words(const std::vector<Word>& words) {
  json array = json::array();
  for (const auto& w : words) {
    array.push_back(json::array(
        {w.start_ms, w.end_ms, w.text, w.confidence ? json(*w.confidence) : json(nullptr)}));
  }
  return dump(array);
}

Result<std::vector<Person>> decode_persons(std::string_view json) {
  return decode_list<Person>(json, "persons");
}
Result<std::vector<TranscriptLink>> decode_transcripts(std::string_view json) {
  return decode_list<TranscriptLink>(json, "transcript links");
}
Result<std::vector<Soundbite>> decode_soundbites(std::string_view json) {
  return decode_list<Soundbite>(json, "soundbites");
}

Result<std::vector<Speaker>> decode_speakers(std::string_view json) {
  return decode_list<Speaker>(json, "speakers");
}

Result<std::vector<Word>> decode_words(std::string_view text) {
  const auto fail = [&](std::string_view why) {
    return internal_error("stored words are unreadable (" + std::string(why) +
                          "): " + std::string(text.substr(0, 80)));
  };
  const json array = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!array.is_array()) return fail("not a JSON array");
  std::vector<Word> words;
  words.reserve(array.size());
  try {
    for (const auto& tuple : array) words.push_back(word_from_tuple(tuple));
  } catch (const std::exception& e) {
    return fail(e.what());
  }
  return words;
}

}  // namespace hark::store::sqlite
