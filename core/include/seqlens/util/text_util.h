// SPDX-License-Identifier: GPL-3.0-or-later
// Small text helpers shared by the readers and writers.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace seqlens {

// Transparent hash so unordered_map<std::string, ...> can be searched with a string_view.
struct StringHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

// True for values that mean "missing": empty or blank, NA, N/A, null, NULL, None.
bool isMissingToken(std::string_view v);
// Parses a whole string as a double (leading '+' allowed; "nan"/"inf" parse as non-finite).
bool parseDouble(std::string_view v, double &out);
// Shortest text that reads back as the same float/double.
std::string formatNumber(double v);
std::string formatNumber(float v);
std::string lowerAscii(std::string_view v);
// Quotes a CSV field when needed (RFC 4180).
std::string csvEscape(std::string_view v);

} // namespace seqlens
