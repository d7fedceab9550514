// SPDX-License-Identifier: GPL-3.0-or-later
// Parses event and cutoff times into one unit: days since 1970-01-01 (fractional for
// date-times, negative before 1970). Formats:
//   "auto"      decided from the first non-missing value: ISO 8601, epoch seconds (10 digits)
//               or epoch milliseconds (13 digits); anything else asks for an explicit format
//   "iso"       YYYY-MM-DD, optionally followed by [T ]hh:mm[:ss[.fff]] and Z or +hh:mm
//   "epoch_s", "epoch_ms"
//   "number"    a plain number in `unit` (seconds, minutes, hours, days, weeks, months, years)
//               counted from `origin` (ISO date); "days before application" is number/days
//   a pattern containing '%': strptime-style (%Y %y %m %d %H %M %S %b %j %%)
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace seqlens {

struct TimeFormat {
    std::string format = "auto";
    std::string unit = "days";         // only for "number"
    std::string origin = "1970-01-01"; // only for "number"
};

class TimeParser {
public:
    // Throws a Config error (message without location; caller adds the JSON path) for a bad
    // setting.
    explicit TimeParser(const TimeFormat &format);

    // Parses one value; std::nullopt when it does not match the format.
    // An "auto" parser settles on a concrete format at the first value it sees.
    std::optional<double> parse(std::string_view text);

    // The concrete format in use (after auto-detection), for messages.
    std::string describe() const;

    // Validates a format setting; returns an empty string when fine, else what is wrong.
    static std::string validate(const TimeFormat &format);

private:
    enum class Kind { Auto, Iso, EpochS, EpochMs, Number, Pattern };
    std::optional<double> parsePattern(std::string_view text) const;
    Kind m_kind = Kind::Auto;
    std::string m_pattern;
    double m_unitDays = 1.0;
    double m_originDays = 0.0;
};

// Days since 1970-01-01 of a civil date (proleptic Gregorian).
int64_t daysFromCivil(int64_t y, unsigned m, unsigned d);
// ISO 8601 text for days since epoch: a date when whole, else a date-time to the second.
std::string formatDays(double days);
// Parses ISO 8601 date or date-time; std::nullopt when it is not one.
std::optional<double> parseIso(std::string_view text);

} // namespace seqlens
