// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <string>

namespace seqlens {

// The current time as "YYYY-MM-DDTHH:MM:SSZ" (UTC).
std::string utcNowIso();

} // namespace seqlens
