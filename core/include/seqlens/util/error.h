// SPDX-License-Identifier: GPL-3.0-or-later
// Error types for SeqLens. Expected failures (bad usage, bad config, bad data) are
// typed so front ends can map them to exit codes and user-facing messages.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace seqlens {

enum class ErrorKind {
    Usage,     // bad command line (CLI exit code 2)
    Config,    // bad configuration file (exit code 2)
    Data,      // bad input data: CSV, times, labels, bundle files (exit code 3)
    Cancelled, // job cancelled by the user
    Internal,  // broken invariant (exit code 1)
};

// One error; what() is a single line naming where (file:line, JSON path) and what was expected.
class Error : public std::runtime_error {
public:
    Error(ErrorKind kind, const std::string &message) : std::runtime_error(message), m_kind(kind) {}
    ErrorKind kind() const { return m_kind; }

private:
    ErrorKind m_kind;
};

// All problems of one configuration, each a line "<file>: <json-path>: <message>".
class ConfigError : public Error {
public:
    explicit ConfigError(std::vector<std::string> problems);
    const std::vector<std::string> &problems() const { return m_problems; }

private:
    std::vector<std::string> m_problems;
};

[[noreturn]] void throwData(const std::string &message);
[[noreturn]] void throwUsage(const std::string &message);
[[noreturn]] void throwInternal(const std::string &message);

// Exit code for the CLI: 0 ok, 2 usage/config, 3 data, 1 internal, 130 cancelled.
int exitCodeFor(ErrorKind kind);

} // namespace seqlens
