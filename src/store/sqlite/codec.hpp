// Internal to the SQLite backend: the JSON text stored in list-valued columns
// (persons, transcripts, soundbites, speakers, words). Field names follow the core structs;
// words are compact [start_ms, end_ms, "text", confidence|null] tuples instead (a long
// episode has tens of thousands, see migration 2).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/model.hpp"
#include "core/result.hpp"
#include "core/transcript.hpp"

namespace hark::store::sqlite {

std::string encode_persons(const std::vector<Person>& persons);
std::string encode_transcripts(const std::vector<TranscriptLink>& transcripts);
std::string encode_soundbites(const std::vector<Soundbite>& soundbites);
std::string encode_speakers(const std::vector<Speaker>& speakers);
std::string encode_words(const std::vector<Word>& words);

// Decoding fails (Internal) only for text hark did not write: not JSON, not an array of
// objects, or a field of the wrong type. Missing fields take the struct's default.
Result<std::vector<Person>> decode_persons(std::string_view json);
Result<std::vector<TranscriptLink>> decode_transcripts(std::string_view json);
Result<std::vector<Soundbite>> decode_soundbites(std::string_view json);
Result<std::vector<Speaker>> decode_speakers(std::string_view json);
Result<std::vector<Word>> decode_words(std::string_view json);

}  // namespace hark::store::sqlite
