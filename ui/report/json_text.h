// SPDX-License-Identifier: GPL-3.0-or-later
// Recorded JSON values as report text, shared by the validation-report sections.
#pragma once

#include <nlohmann/json.hpp>

#include <QString>

namespace seqlens::report {

inline QString q(const std::string &s)
{
    return QString::fromStdString(s);
}
inline QString q(const nlohmann::json &j)
{
    return j.is_string() ? q(j.get<std::string>()) : q(j.dump());
}
// An integer count, "n/a" when not recorded.
inline QString count(const nlohmann::json &j)
{
    return j.is_number() ? QString::number(j.get<int64_t>()) : "n/a";
}

} // namespace seqlens::report
