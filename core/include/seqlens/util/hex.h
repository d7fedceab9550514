// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <string>

namespace seqlens {

// 16 lower-case hex digits (data fingerprints).
std::string hex64(uint64_t v);

} // namespace seqlens
