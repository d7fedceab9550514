// SPDX-License-Identifier: GPL-3.0-or-later
#include "args.h"

#include "seqlens/util/error.h"

#include <charconv>

namespace seqlens::cli {

Args::Args(int argc, char **argv, int first, const std::set<std::string> &valueOptions,
           const std::set<std::string> &flags)
{
    for (int i = first; i < argc; ++i) {
        std::string a = argv[i];
        if (a.rfind("--", 0) != 0)
            throwUsage("unexpected argument \"" + a + "\" (options start with --; see --help)");
        std::string name = a.substr(2), value;
        bool inlineValue = false;
        if (auto eq = name.find('='); eq != std::string::npos) {
            value = name.substr(eq + 1);
            name = name.substr(0, eq);
            inlineValue = true;
        }
        if (flags.count(name)) {
            m_flags.insert(name);
        } else if (valueOptions.count(name)) {
            if (!inlineValue) {
                if (i + 1 >= argc)
                    throwUsage("option --" + name + " needs a value");
                value = argv[++i];
            }
            m_values[name] = value;
            m_repeated[name].push_back(value);
        } else {
            throwUsage("unknown option --" + name + " (see --help)");
        }
    }
}

std::string Args::required(const std::string &name) const
{
    auto it = m_values.find(name);
    if (it == m_values.end() || it->second.empty())
        throwUsage("missing required option --" + name + " (see --help)");
    return it->second;
}

std::string Args::get(const std::string &name, const std::string &fallback) const
{
    auto it = m_values.find(name);
    return it == m_values.end() ? fallback : it->second;
}

const std::vector<std::string> &Args::all(const std::string &name) const
{
    static const std::vector<std::string> none;
    auto it = m_repeated.find(name);
    return it == m_repeated.end() ? none : it->second;
}

std::optional<int64_t> Args::integer(const std::string &name, int64_t lo, int64_t hi) const
{
    auto it = m_values.find(name);
    if (it == m_values.end())
        return std::nullopt;
    int64_t v = 0;
    const std::string &s = it->second;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size() || v < lo || v > hi)
        throwUsage("option --" + name + ": expected an integer in [" + std::to_string(lo) + ", " +
                   std::to_string(hi) + "], got \"" + s + "\"");
    return v;
}

} // namespace seqlens::cli
