// SPDX-License-Identifier: GPL-3.0-or-later
// Internal to loading: reads every event source (joined through its via tables) onto the
// applicants of the label table, merged on one timeline per applicant.
#pragma once

#include "seqlens/data/csv_reader.h"
#include "seqlens/data/dataset.h"
#include "seqlens/util/text_util.h"

#include <string>
#include <unordered_map>

namespace seqlens::data_detail {

using EntityMap = std::unordered_map<std::string, int32_t, StringHash, std::equal_to<>>;

inline std::string where(const CsvReader &r)
{
    return r.path() + ":" + std::to_string(r.line());
}

// Reads the event sources of `config` into `data` (fields, times, sources, per-source reports),
// each event attached to its applicant through `index` (extended with new entities when
// options.useLabels is false), grouped per applicant and sorted by time. Ties keep source order,
// then file order.
void readEventSources(const Config &config, const LoadOptions &options, RawDataset &data,
                      EntityMap &index);

} // namespace seqlens::data_detail
