// SPDX-License-Identifier: GPL-3.0-or-later
#include "seqlens/data/time_parser.h"

#include "seqlens/data/csv_reader.h"
#include "seqlens/util/error.h"

#include <cctype>

#include <charconv>
#include <cmath>
#include <cstdio>

namespace seqlens {

namespace {

bool readInt(std::string_view s, size_t &pos, int minDigits, int maxDigits, int64_t &out)
{
    size_t start = pos;
    int64_t v = 0;
    while (pos < s.size() && pos - start < size_t(maxDigits) && s[pos] >= '0' && s[pos] <= '9')
        v = v * 10 + (s[pos++] - '0');
    if (pos - start < size_t(minDigits))
        return false;
    out = v;
    return true;
}

bool validDate(int64_t y, int64_t m, int64_t d)
{
    static const int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12 || d < 1)
        return false;
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    int maxd = kDays[m - 1] - (m == 2 && !leap ? 1 : 0);
    return d <= maxd;
}

double unitInDays(const std::string &unit)
{
    if (unit == "seconds")
        return 1.0 / 86400.0;
    if (unit == "minutes")
        return 1.0 / 1440.0;
    if (unit == "hours")
        return 1.0 / 24.0;
    if (unit == "days")
        return 1.0;
    if (unit == "weeks")
        return 7.0;
    if (unit == "months")
        return 365.2425 / 12.0;
    if (unit == "years")
        return 365.2425;
    return 0.0;
}

bool parseNumber(std::string_view s, double &out)
{
    s = std::string_view(s.data(), s.size());
    if (!s.empty() && s.front() == '+')
        s.remove_prefix(1);
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && p == s.data() + s.size() && std::isfinite(out);
}

bool allDigits(std::string_view s)
{
    if (s.empty())
        return false;
    for (char c : s)
        if (c < '0' || c > '9')
            return false;
    return true;
}

const char *kMonths[] = {"jan", "feb", "mar", "apr", "may", "jun",
                         "jul", "aug", "sep", "oct", "nov", "dec"};

} // namespace

int64_t daysFromCivil(int64_t y, unsigned m, unsigned d)
{
    // Howard Hinnant's days_from_civil.
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

std::string formatDays(double days)
{
    int64_t z = static_cast<int64_t>(std::floor(days));
    double frac = days - double(z);
    z += 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t y = static_cast<int64_t>(yoe) + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    y += (m <= 2);
    char buf[40];
    long secs = std::lround(frac * 86400.0);
    if (secs == 0)
        std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u", (long long)y, m, d);
    else
        std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02ld:%02ld:%02ld", (long long)y, m, d,
                      secs / 3600, (secs / 60) % 60, secs % 60);
    return buf;
}

std::optional<double> parseIso(std::string_view s)
{
    size_t pos = 0;
    int64_t y, m, d;
    if (!readInt(s, pos, 4, 4, y) || pos >= s.size() || s[pos++] != '-' ||
        !readInt(s, pos, 2, 2, m) || pos >= s.size() || s[pos++] != '-' ||
        !readInt(s, pos, 2, 2, d) || !validDate(y, m, d))
        return std::nullopt;
    double days = double(daysFromCivil(y, unsigned(m), unsigned(d)));
    if (pos == s.size())
        return days;
    if (s[pos] != 'T' && s[pos] != ' ')
        return std::nullopt;
    ++pos;
    int64_t hh, mm, ss = 0;
    if (!readInt(s, pos, 2, 2, hh) || pos >= s.size() || s[pos++] != ':' ||
        !readInt(s, pos, 2, 2, mm) || hh > 24 || mm > 59)
        return std::nullopt;
    double seconds = double(hh * 3600 + mm * 60);
    if (pos < s.size() && s[pos] == ':') {
        ++pos;
        if (!readInt(s, pos, 2, 2, ss) || ss > 60)
            return std::nullopt;
        seconds += double(ss);
        if (pos < s.size() && (s[pos] == '.' || s[pos] == ',')) {
            ++pos;
            double scale = 0.1;
            size_t start = pos;
            while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
                seconds += (s[pos++] - '0') * scale;
                scale /= 10;
            }
            if (pos == start)
                return std::nullopt;
        }
    }
    if (pos < s.size()) {
        if (s[pos] == 'Z') {
            ++pos;
        } else if (s[pos] == '+' || s[pos] == '-') {
            int sign = s[pos++] == '+' ? 1 : -1;
            int64_t oh, om = 0;
            if (!readInt(s, pos, 2, 2, oh))
                return std::nullopt;
            if (pos < s.size() && s[pos] == ':')
                ++pos;
            if (pos < s.size() && !readInt(s, pos, 2, 2, om))
                return std::nullopt;
            seconds -= sign * double(oh * 3600 + om * 60);
        }
        if (pos != s.size())
            return std::nullopt;
    }
    return days + seconds / 86400.0;
}

std::string TimeParser::validate(const TimeFormat &f)
{
    static const char *kNamed[] = {"auto", "iso", "epoch_s", "epoch_ms", "number"};
    bool named = false;
    for (auto n : kNamed)
        named = named || f.format == n;
    if (!named && f.format.find('%') == std::string::npos)
        return "expected \"auto\", \"iso\", \"epoch_s\", \"epoch_ms\", \"number\" or a pattern "
               "with % directives, got \"" +
               f.format + "\"";
    if (!named) {
        for (size_t i = 0; i < f.format.size(); ++i) {
            if (f.format[i] != '%')
                continue;
            if (++i >= f.format.size() ||
                std::string("YymdHMSbj%").find(f.format[i]) == std::string::npos)
                return "unsupported directive in pattern \"" + f.format +
                       "\" (supported: %Y %y %m %d %H %M %S %b %j %%)";
        }
    }
    if (f.format == "number") {
        if (unitInDays(f.unit) == 0.0)
            return "time unit: expected seconds, minutes, hours, days, weeks, months or years, got "
                   "\"" +
                   f.unit + "\"";
        if (!parseIso(f.origin))
            return "time origin: expected an ISO date such as 2020-01-31, got \"" + f.origin + "\"";
    }
    return {};
}

TimeParser::TimeParser(const TimeFormat &f)
{
    std::string problem = validate(f);
    if (!problem.empty())
        throw Error(ErrorKind::Config, problem);
    if (f.format == "auto")
        m_kind = Kind::Auto;
    else if (f.format == "iso")
        m_kind = Kind::Iso;
    else if (f.format == "epoch_s")
        m_kind = Kind::EpochS;
    else if (f.format == "epoch_ms")
        m_kind = Kind::EpochMs;
    else if (f.format == "number") {
        m_kind = Kind::Number;
        m_unitDays = unitInDays(f.unit);
        m_originDays = *parseIso(f.origin);
    } else {
        m_kind = Kind::Pattern;
        m_pattern = f.format;
    }
}

std::string TimeParser::describe() const
{
    switch (m_kind) {
    case Kind::Auto: return "auto (ISO 8601, epoch seconds or epoch milliseconds)";
    case Kind::Iso: return "an ISO 8601 date or date-time";
    case Kind::EpochS: return "epoch seconds";
    case Kind::EpochMs: return "epoch milliseconds";
    case Kind::Number: return "a number";
    case Kind::Pattern: return "a time matching \"" + m_pattern + "\"";
    }
    return {};
}

std::optional<double> TimeParser::parse(std::string_view text)
{
    text = trimView(text);
    if (m_kind == Kind::Auto) {
        if (parseIso(text))
            m_kind = Kind::Iso;
        else if (allDigits(text) && text.size() == 10)
            m_kind = Kind::EpochS;
        else if (allDigits(text) && text.size() == 13)
            m_kind = Kind::EpochMs;
        else
            return std::nullopt;
    }
    double v = 0;
    switch (m_kind) {
    case Kind::Iso: return parseIso(text);
    case Kind::EpochS:
        if (!parseNumber(text, v))
            return std::nullopt;
        return v / 86400.0;
    case Kind::EpochMs:
        if (!parseNumber(text, v))
            return std::nullopt;
        return v / 86400000.0;
    case Kind::Number:
        if (!parseNumber(text, v))
            return std::nullopt;
        return m_originDays + v * m_unitDays;
    case Kind::Pattern: return parsePattern(text);
    case Kind::Auto: break;
    }
    return std::nullopt;
}

std::optional<double> TimeParser::parsePattern(std::string_view s) const
{
    int64_t y = 1970, mo = 1, d = 1, hh = 0, mi = 0, ss = 0, yday = -1;
    size_t pos = 0;
    const std::string &p = m_pattern;
    for (size_t i = 0; i < p.size(); ++i) {
        if (p[i] != '%') {
            if (pos >= s.size() || s[pos] != p[i])
                return std::nullopt;
            ++pos;
            continue;
        }
        char dir = p[++i];
        bool ok = true;
        switch (dir) {
        case 'Y': ok = readInt(s, pos, 4, 4, y); break;
        case 'y':
            ok = readInt(s, pos, 2, 2, y);
            y += y < 69 ? 2000 : 1900; // POSIX pivot: 69-99 -> 19xx, 00-68 -> 20xx
            break;
        case 'm': ok = readInt(s, pos, 1, 2, mo); break;
        case 'd': ok = readInt(s, pos, 1, 2, d); break;
        case 'H': ok = readInt(s, pos, 1, 2, hh) && hh < 24; break;
        case 'M': ok = readInt(s, pos, 1, 2, mi) && mi < 60; break;
        case 'S': ok = readInt(s, pos, 1, 2, ss) && ss <= 60; break;
        case 'j': ok = readInt(s, pos, 1, 3, yday) && yday >= 1 && yday <= 366; break;
        case 'b': {
            ok = false;
            if (pos + 3 <= s.size()) {
                for (int k = 0; k < 12 && !ok; ++k) {
                    bool eq = true;
                    for (int c = 0; c < 3; ++c)
                        eq = eq &&
                             std::tolower(static_cast<unsigned char>(s[pos + c])) == kMonths[k][c];
                    if (eq) {
                        mo = k + 1;
                        ok = true;
                    }
                }
                pos += 3;
            }
            break;
        }
        case '%': ok = pos < s.size() && s[pos++] == '%'; break;
        default: ok = false;
        }
        if (!ok)
            return std::nullopt;
    }
    if (pos != s.size())
        return std::nullopt;
    double days;
    if (yday > 0)
        days = double(daysFromCivil(y, 1, 1) + yday - 1);
    else if (validDate(y, mo, d))
        days = double(daysFromCivil(y, unsigned(mo), unsigned(d)));
    else
        return std::nullopt;
    return days + double(hh * 3600 + mi * 60 + ss) / 86400.0;
}

} // namespace seqlens
