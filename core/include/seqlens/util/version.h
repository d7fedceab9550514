// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <string>

namespace seqlens {
const char *seqlensVersion(); // e.g. "0.1.0"
const char *gitRevision();    // short git hash of the build, or "unknown"
std::string torchVersion();   // LibTorch's version, e.g. "2.0.1" (defined in nn/)
} // namespace seqlens
