// SPDX-License-Identifier: GPL-3.0-or-later
#include "seqlens/util/error.h"


namespace seqlens {

namespace {
std::string joinProblems(const std::vector<std::string> &problems)
{
    if (problems.empty())
        return "invalid configuration";
    std::string out = problems.front();
    for (size_t i = 1; i < problems.size(); ++i)
        out += "\n" + problems[i];
    return out;
}
} // namespace

ConfigError::ConfigError(std::vector<std::string> problems)
    : Error(ErrorKind::Config, joinProblems(problems)), m_problems(std::move(problems))
{}

void throwData(const std::string &message)
{
    throw Error(ErrorKind::Data, message);
}
void throwUsage(const std::string &message)
{
    throw Error(ErrorKind::Usage, message);
}
void throwInternal(const std::string &message)
{
    throw Error(ErrorKind::Internal, message);
}

int exitCodeFor(ErrorKind kind)
{
    switch (kind) {
    case ErrorKind::Usage:
    case ErrorKind::Config: return 2;
    case ErrorKind::Data: return 3;
    case ErrorKind::Cancelled: return 130;
    case ErrorKind::Internal: return 1;
    }
    return 1;
}

} // namespace seqlens
