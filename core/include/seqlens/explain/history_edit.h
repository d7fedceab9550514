// SPDX-License-Identifier: GPL-3.0-or-later
// Edited copies of one applicant's history, for occlusion, deletion/insertion curves and
// what-if: the edits apply to the raw events, and the copies are encoded again with the bundle's
// encoder, so an edited history scores exactly as the same history read from an edited file
// would (gaps to the previous event, truncation to max_items and the time before the cutoff are
// recomputed).
#pragma once

#include "seqlens/data/encoder.h"

#include <string>
#include <vector>

namespace seqlens {

struct HistoryEdit {
    enum class Kind { Remove, Set, Move };
    Kind kind = Kind::Remove;
    int64_t event = 0;     // index in the model's view of the history (0 = oldest kept event)
    std::string field;     // Set: the event field
    std::string value;     // Set: its new raw value ("" = missing)
    double timeDays = 0;   // Move: the new time, days since 1970-01-01
};

// A dataset holding one copy of applicant `a` per entry of `variants`, each with that entry's
// edits applied (an empty entry is the unchanged history). Edit indices refer to the applicant's
// kept events (encoder.keptEvents: the last max_items), as explanations number them. Throws a Usage
// error naming the edit for an index out of range, an unknown field, a value that is not a
// number for a numeric field, or a move to or after the cutoff. With `keptOnly`, the events
// older than the kept window are left out of the copies (removing kept events then cannot let
// them in: deletion and insertion curves work on the history the model saw).
RawDataset historyVariants(const RawDataset &raw, int64_t a, const Encoder &encoder,
                           const std::vector<std::vector<HistoryEdit>> &variants,
                           bool keptOnly = false);

// One line describing an edit, for messages and reports ("remove event 3").
std::string describe(const HistoryEdit &edit);

} // namespace seqlens
