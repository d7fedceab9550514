// SPDX-License-Identifier: GPL-3.0-or-later
// A race between candidate models trained side by side on the same budget ("item_aggregation":
// "auto"): once every candidate has finished epoch `at` (training.min_epochs, before which no
// model stops early: the initial plateau), the ones behind the leader on best validation AUC so
// far stop, and the leader trains on alone. The decision depends only on the candidates' own
// validation AUCs up to that epoch, never on which finished it first, so a run gives the same
// choice on any thread count. A candidate whose training ends before `at` never reports: then
// nothing is decided and the caller compares the finished candidates as before.
#pragma once

#include "seqlens/nn/trainer.h"

#include <cstdint>
#include <mutex>
#include <optional>
#include <vector>

namespace seqlens {

class TrialRace {
public:
    TrialRace(size_t candidates, int64_t at);

    // Candidate k's best validation AUC after `epoch`; false when k has lost (stop now). Safe to
    // call from the candidates' threads at once.
    bool report(size_t k, int64_t epoch, double bestValidAuc);
    // The leader at the race epoch (ties: the lowest index), once every candidate reported.
    std::optional<size_t> winner() const;
    int64_t at() const { return m_at; }

private:
    mutable std::mutex m_mutex;
    int64_t m_at;
    std::vector<std::optional<double>> m_scores; // best validation AUC after epoch m_at
    std::optional<size_t> m_winner;
};

// A stopped candidate's training as it stood after `epoch`: the history up to it, its best
// validation AUC and epoch there (the trainer's rule: the first strictly higher), epochs run.
TrainResult resultAfterEpoch(const TrainResult &result, int64_t epoch);

// What a race left, once every candidate's training has returned.
struct RaceOutcome {
    size_t kept = 0;               // the candidate to keep
    std::vector<int64_t> stoppedAt; // per candidate: the race epoch it stopped at; 0 = ran on
};
// The winner at the race epoch, or, when the race was not decided, the best final validation
// AUC (ties: the lowest index); each stopped candidate's result is cut back to the race epoch
// (resultAfterEpoch), whenever it noticed that it had lost.
RaceOutcome settle(const TrialRace &race, const std::vector<TrainResult *> &results);

} // namespace seqlens
