// SPDX-License-Identifier: GPL-3.0-or-later
// Internal to the encoder (encoder.cpp, encoder_sources.cpp): several event sources.
#pragma once

#include "seqlens/data/encoder.h"

#include <vector>

namespace seqlens::encoder_detail {

// Encoder source index of every source of the data (matched by name); throws a Data error for
// a source the encoder does not know (several sources only).
std::vector<int32_t> sourceMapping(const RawDataset &d, const std::vector<SourceEncoding> &sources);

// Per raw event of applicant a: the gap in days to the previous event of the same source
// (NaN for its first).
std::vector<double> gapsInSource(const RawDataset &d, size_t a);

} // namespace seqlens::encoder_detail
