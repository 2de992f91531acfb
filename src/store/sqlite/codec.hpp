// Internal to the SQLite backend: the JSON text stored in list-valued columns
// (persons, transcripts, soundbites). Field names follow the core structs.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/model.hpp"
#include "core/result.hpp"

namespace hark::store::sqlite {

std::string encode_persons(const std::vector<Person>& persons);
std::string encode_transcripts(const std::vector<TranscriptLink>& transcripts);
std::string encode_soundbites(const std::vector<Soundbite>& soundbites);

// Decoding fails (Internal) only for text hark did not write: not JSON, not an array of
// objects, or a field of the wrong type. Missing fields take the struct's default.
Result<std::vector<Person>> decode_persons(std::string_view json);
Result<std::vector<TranscriptLink>> decode_transcripts(std::string_view json);
Result<std::vector<Soundbite>> decode_soundbites(std::string_view json);

}  // namespace hark::store::sqlite
