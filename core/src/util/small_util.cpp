// SPDX-License-Identifier: GPL-3.0-or-later
// hex64, utcNowIso and throwIfCancelled: small helpers shared by every stage.
#include "seqlens/util/cancel.h"
#include "seqlens/util/clock.h"
#include "seqlens/util/error.h"
#include "seqlens/util/hex.h"

#include <cstdio>
#include <ctime>

namespace seqlens {

std::string hex64(uint64_t v)
{
    char b[17];
    std::snprintf(b, sizeof b, "%016llx", static_cast<unsigned long long>(v));
    return b;
}

std::string utcNowIso()
{
    std::time_t t = std::time(nullptr);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
    return buf;
}

void throwIfCancelled(const CancelToken *token)
{
    if (token && token->cancelled())
        throw Error(ErrorKind::Cancelled, "cancelled by the user");
}

} // namespace seqlens
