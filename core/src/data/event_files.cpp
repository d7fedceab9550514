// SPDX-License-Identifier: GPL-3.0-or-later
// Event files given on the command line or in a form instead of the config's paths.
#include "seqlens/data/dataset.h"

#include "seqlens/util/error.h"

#include <algorithm>

namespace seqlens {

namespace {

bool sourceNameLike(std::string_view s)
{
    return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) {
        return std::isalnum(c) || c == '_' || c == '-';
    });
}

std::string sourceList(const Config &cfg)
{
    std::string out;
    for (const auto &s : cfg.events)
        out += (out.empty() ? "" : ", ") + (s.name.empty() ? kDefaultSourceName : s.name);
    return out;
}

} // namespace

std::string EventFiles::describe() const
{
    std::string out;
    for (const auto &[name, path] : files)
        out += (out.empty() ? "" : ", ") + (name.empty() ? path : name + "=" + path);
    return out;
}

EventFiles EventFiles::parse(const std::vector<std::string> &values)
{
    EventFiles out;
    for (const auto &v : values) {
        const size_t eq = v.find('=');
        if (eq != std::string::npos && sourceNameLike(std::string_view(v).substr(0, eq)))
            out.files.emplace_back(v.substr(0, eq), v.substr(eq + 1));
        else
            out.files.emplace_back(std::string(), v);
    }
    return out;
}

std::vector<std::string> resolveEventFiles(const Config &cfg, const EventFiles &given)
{
    std::vector<std::string> paths;
    for (const auto &s : cfg.events)
        paths.push_back(cfg.resolve(s.path));
    if (given.empty())
        return paths;
    const auto &files = given.files;
    if (files.size() == 1 && files[0].first.empty() && cfg.events.size() == 1) {
        paths[0] = files[0].second;
        return paths;
    }
    std::vector<char> seen(cfg.events.size(), 0);
    for (const auto &[name, path] : files) {
        if (name.empty())
            throwUsage("the config has " + std::to_string(cfg.events.size()) + " event sources (" +
                       sourceList(cfg) + "): give each as --events name=path, got \"" + path +
                       "\"");
        auto it = std::find_if(cfg.events.begin(), cfg.events.end(), [&](const auto &s) {
            return (s.name.empty() ? kDefaultSourceName : s.name) == name;
        });
        if (it == cfg.events.end())
            throwUsage("--events " + name + "=" + path + ": no event source \"" + name +
                       "\" in the config (sources: " + sourceList(cfg) + ")");
        const size_t s = size_t(it - cfg.events.begin());
        if (seen[s]++)
            throwUsage("--events: source \"" + name + "\" is given twice");
        paths[s] = path;
    }
    for (size_t s = 0; s < cfg.events.size(); ++s)
        if (!seen[s])
            throwUsage("--events: no file for event source \"" + cfg.events[s].name +
                       "\" (give every source as name=path: " + sourceList(cfg) + ")");
    return paths;
}

} // namespace seqlens
