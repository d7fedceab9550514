// SPDX-License-Identifier: GPL-3.0-or-later
// Helpers for the core tests: temporary files, gzip writing, error capture.
#pragma once

#include "seqlens/util/error.h"

#include <QTemporaryDir>
#include <QtTest>

#include <fstream>
#include <functional>
#include <string>
#include <zlib.h>

namespace testutil {

// Built with SEQLENS_SANITIZE: the long learning tests scale down (ASan + UBSan make LibTorch
// several times slower) and check what still holds at the smaller size; the plain build runs
// them in full.
#ifdef SEQLENS_SANITIZED
inline constexpr bool kSanitized = true;
#else
inline constexpr bool kSanitized = false;
#endif

inline std::string writeFile(const QTemporaryDir &dir, const std::string &name,
                             const std::string &content)
{
    std::string path = dir.path().toStdString() + "/" + name;
    std::ofstream out(path, std::ios::binary);
    out << content;
    return path;
}

inline std::string writeGz(const QTemporaryDir &dir, const std::string &name,
                           const std::string &content)
{
    std::string path = dir.path().toStdString() + "/" + name;
    gzFile f = gzopen(path.c_str(), "wb");
    gzwrite(f, content.data(), unsigned(content.size()));
    gzclose(f);
    return path;
}

// Runs fn, expects a seqlens::Error of `kind`; returns its message ("" if none was thrown).
inline std::string errorOf(const std::function<void()> &fn, seqlens::ErrorKind kind)
{
    try {
        fn();
    } catch (const seqlens::Error &e) {
        if (e.kind() != kind)
            return std::string("WRONG KIND: ") + e.what();
        return e.what();
    }
    return "";
}

inline bool contains(const std::string &hay, const std::string &needle)
{
    return hay.find(needle) != std::string::npos;
}

} // namespace testutil

#define EXPECT_ERROR(expr, kind, needle)                                                           \
    do {                                                                                           \
        std::string msg_ = testutil::errorOf([&] { expr; }, kind);                                 \
        QVERIFY2(!msg_.empty(), "expected an error, none thrown");                                 \
        QVERIFY2(testutil::contains(msg_, needle),                                                 \
                 ("message \"" + msg_ + "\" lacks \"" + needle + "\"").c_str());                   \
        QVERIFY2(msg_.find('\n') == std::string::npos, ("not one line: " + msg_).c_str());         \
    } while (0)
