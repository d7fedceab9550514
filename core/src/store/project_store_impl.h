// SPDX-License-Identifier: GPL-3.0-or-later
// Internals shared by the write (project_store.cpp) and read (project_queries.cpp) sides.
#pragma once

#include "seqlens/store/project_store.h"
#include "sqlite_util.h"

#include <mutex>

namespace seqlens {

struct ProjectStore::Impl {
    explicit Impl(const std::string &path) : db(path, store::Database::Mode::Create) {}
    store::Database db;
    mutable std::mutex mutex; // one statement at a time on this connection
    int64_t interrupted = 0;

    void markInterrupted();
};

RunStatus runStatusFromText(const std::string &text);

} // namespace seqlens
