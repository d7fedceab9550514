// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <functional>
#include <string>

namespace seqlens {

// Receives human-readable progress lines of a workflow (stderr in the CLI).
using LogFn = std::function<void(const std::string &)>;

} // namespace seqlens
