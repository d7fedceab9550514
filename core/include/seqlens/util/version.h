// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

namespace seqlens {
const char *seqlensVersion(); // e.g. "0.1.0"
const char *gitRevision();    // short git hash of the build, or "unknown"
} // namespace seqlens
