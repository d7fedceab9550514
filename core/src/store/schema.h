// SPDX-License-Identifier: GPL-3.0-or-later
// The project file's schema history. Each migration takes the file from version i to i + 1
// in one transaction; PRAGMA user_version holds the version.
#pragma once

#include "sqlite_util.h"

namespace seqlens::store {

constexpr int kSchemaVersion = 3;

// Migrates `db` from its current version up to `target` (<= kSchemaVersion).
void migrate(Database &db, int target);

} // namespace seqlens::store
