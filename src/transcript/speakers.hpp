// Naming a transcript's speakers from the feed's podcast:person entries. Pure apart
// from mutating its argument; thread-safe for distinct transcripts.
#pragma once

#include <vector>

#include "core/model.hpp"
#include "core/transcript.hpp"

namespace hark::transcript {

// For each speaker, matches its label (Speaker::name, else Speaker::id) against the
// persons, ignoring case and honorifics ("Dr.", "Prof."): first by full name, then a
// one-word label by first name, then by last name, then a one-word person name by the
// label's first word — each only when exactly one person fits, so two guests called
// Sam stay unresolved. A match sets Speaker::name to the person's name and
// Speaker::role to the person's role ("host", "guest", …). Unmatched speakers keep
// their label; anonymous labels ("SPEAKER_00") cannot match a name and stay as they are.
void resolve_speakers(Transcript& t, const std::vector<Person>& persons);

}  // namespace hark::transcript
