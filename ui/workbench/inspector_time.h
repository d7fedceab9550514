// SPDX-License-Identifier: GPL-3.0-or-later
// Internal to the applicant inspector: event times (days) on the plots' axis (seconds).
#pragma once

namespace seqlens::ui {

inline double secondsOf(double days)
{
    return days * 86400.0;
}

} // namespace seqlens::ui
