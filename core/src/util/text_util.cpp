// SPDX-License-Identifier: GPL-3.0-or-later
#include "seqlens/util/text_util.h"

#include "seqlens/data/csv_reader.h"

#include <charconv>
#include <cmath>

namespace seqlens {

bool isMissingToken(std::string_view v)
{
    v = trimView(v);
    return v.empty() || v == "NA" || v == "N/A" || v == "null" || v == "NULL" || v == "None";
}

bool parseDouble(std::string_view v, double &out)
{
    if (!v.empty() && v.front() == '+')
        v.remove_prefix(1);
    if (v.empty())
        return false;
    auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
    if (ec == std::errc::result_out_of_range) {
        out = (v.front() == '-') ? -HUGE_VAL : HUGE_VAL;
        return p == v.data() + v.size();
    }
    return ec == std::errc() && p == v.data() + v.size();
}

std::string formatNumber(double v)
{
    char buf[64];
    auto [p, ec] = std::to_chars(buf, buf + sizeof buf, v);
    return ec == std::errc() ? std::string(buf, p) : std::to_string(v);
}

std::string formatNumber(float v)
{
    char buf[64];
    auto [p, ec] = std::to_chars(buf, buf + sizeof buf, v);
    return ec == std::errc() ? std::string(buf, p) : std::to_string(v);
}

std::string lowerAscii(std::string_view v)
{
    std::string s(v);
    for (char &c : s)
        if (c >= 'A' && c <= 'Z')
            c = char(c - 'A' + 'a');
    return s;
}

std::string csvEscape(std::string_view v)
{
    if (v.find_first_of(",;\"\n\r\t") == std::string_view::npos)
        return std::string(v);
    std::string out = "\"";
    for (char c : v) {
        if (c == '"')
            out += '"';
        out += c;
    }
    return out + "\"";
}

} // namespace seqlens
