// SPDX-License-Identifier: GPL-3.0-or-later
#include "seqlens/nn/trial_race.h"

#include <cmath>
#include <limits>

namespace seqlens {

TrialRace::TrialRace(size_t candidates, int64_t at) : m_at(at), m_scores(candidates) {}

bool TrialRace::report(size_t k, int64_t epoch, double bestValidAuc)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    if (epoch == m_at && !m_scores.at(k)) {
        m_scores[k] = std::isnan(bestValidAuc) ? -std::numeric_limits<double>::infinity()
                                               : bestValidAuc;
        bool all = true;
        for (const auto &s : m_scores)
            all = all && s.has_value();
        if (all) {
            size_t best = 0;
            for (size_t i = 1; i < m_scores.size(); ++i)
                if (*m_scores[i] > *m_scores[best])
                    best = i;
            m_winner = best;
        }
    }
    return !m_winner || *m_winner == k;
}

std::optional<size_t> TrialRace::winner() const
{
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_winner;
}

TrainResult resultAfterEpoch(const TrainResult &result, int64_t epoch)
{
    TrainResult r = result;
    r.history.clear();
    r.bestValidAuc = std::nan("");
    r.bestEpoch = 0;
    for (const EpochRecord &rec : result.history) {
        if (rec.epoch > epoch)
            break;
        r.history.push_back(rec);
        if (std::isnan(r.bestValidAuc) || rec.validAuc > r.bestValidAuc) {
            r.bestValidAuc = rec.validAuc;
            r.bestEpoch = rec.epoch;
        }
    }
    r.epochsRun = int64_t(r.history.size());
    return r;
}

RaceOutcome settle(const TrialRace &race, const std::vector<TrainResult *> &results)
{
    RaceOutcome out;
    out.stoppedAt.assign(results.size(), 0);
    const std::optional<size_t> winner = race.winner();
    for (size_t k = 0; k < results.size(); ++k) {
        if (winner && k != *winner) {
            *results[k] = resultAfterEpoch(*results[k], race.at());
            out.stoppedAt[k] = race.at();
        }
        if (!winner && results[k]->bestValidAuc > results[out.kept]->bestValidAuc)
            out.kept = k;
    }
    if (winner)
        out.kept = *winner;
    return out;
}

} // namespace seqlens
