// SPDX-License-Identifier: GPL-3.0-or-later
// Minimal "--key value" / "--flag" command-line parsing for seqlens-cli.
#pragma once

#include "seqlens/data/config_limits.h"

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace seqlens::cli {

class Args {
public:
    // Parses argv[first..]; throws a Usage error for unknown options or a missing value.
    Args(int argc, char **argv, int first, const std::set<std::string> &valueOptions,
         const std::set<std::string> &flags);

    bool has(const std::string &name) const { return m_values.count(name) || m_flags.count(name); }
    std::string required(const std::string &name) const;
    std::string get(const std::string &name, const std::string &fallback = {}) const;
    // Every value of a repeatable option, in command-line order.
    const std::vector<std::string> &all(const std::string &name) const;
    std::optional<int64_t> integer(const std::string &name, int64_t lo, int64_t hi) const;
    std::optional<int64_t> integer(const std::string &name, IntRange range) const
    {
        return integer(name, range.lo, range.hi);
    }

private:
    std::map<std::string, std::string> m_values;
    std::map<std::string, std::vector<std::string>> m_repeated;
    std::set<std::string> m_flags;
};

} // namespace seqlens::cli
