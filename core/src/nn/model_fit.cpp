// SPDX-License-Identifier: GPL-3.0-or-later
#include "seqlens/nn/model_fit.h"
#include "seqlens/nn/trial_race.h"

#include <ATen/Parallel.h>

#include <exception>
#include <functional>
#include <mutex>
#include <thread>

namespace seqlens {

namespace {

std::vector<ItemAggregation> candidatesOf(const ModelConfig &config, bool validation)
{
    if (config.itemAggregation != ItemAggregation::Auto)
        return {config.itemAggregation};
    if (!validation)
        return {ItemAggregation::Gru}; // nothing to choose on
    return {ItemAggregation::Transformer, ItemAggregation::Gru};
}

struct Candidate {
    ModelConfig config;
    std::unique_ptr<SequenceModel> model;
    TrainResult result;
};

// Trains candidates 0..n-1 at once, each on its own thread with half the LibTorch threads; the
// first to finish lends its threads to the other. Training gives the same numbers on any
// thread count. Rethrows the first candidate's error.
void trainSideBySide(size_t n, int64_t threads,
                     const std::function<void(size_t, ThreadBudget *)> &train)
{
    ThreadBudget local;
    const int64_t half = threads / 2;
    std::vector<std::exception_ptr> errors(n);
    std::vector<std::thread> pool;
    for (size_t k = 0; k < n; ++k)
        pool.emplace_back([&, k] {
            at::set_num_threads(int(half));
            try {
                train(k, &local);
            } catch (...) {
                errors[k] = std::current_exception();
            }
            local.lend(half);
        });
    for (auto &t : pool)
        t.join();
    at::set_num_threads(int(threads)); // the candidates' threads lowered the process default
    for (auto &e : errors)
        if (e)
            std::rethrow_exception(e);
}

// The kept candidate after the race (settle()), with both trials when choosing; a cancelled
// candidate cancels the fit (no model).
FittedModel keptOf(std::vector<Candidate> &candidates, const TrialRace &race, bool choosing)
{
    FittedModel out;
    std::vector<TrainResult *> results;
    double seconds = 0;
    for (Candidate &c : candidates) {
        seconds += c.result.seconds;
        if (c.result.cancelled) {
            out.training = c.result;
            return out;
        }
        results.push_back(&c.result);
    }
    const RaceOutcome outcome = settle(race, results);
    for (size_t k = 0; choosing && k < candidates.size(); ++k) {
        const TrainResult &r = candidates[k].result;
        out.trials.push_back({candidates[k].config.itemAggregation, r.bestValidAuc, r.bestEpoch,
                              r.epochsRun, r.seconds, outcome.stoppedAt[k]});
    }
    Candidate &kept = candidates[outcome.kept];
    out.model = std::move(kept.model);
    out.config = kept.config;
    out.training = kept.result;
    out.training.seconds = seconds;
    return out;
}

} // namespace

FittedModel fitSequenceModel(const ModelConfig &config, const ModelLayout &layout,
                             const EncodedDataset &data, const std::vector<int64_t> &trainRows,
                             const std::vector<int64_t> &validRows, const TrainingConfig &training,
                             const ProgressFn &progress, const CancelToken *cancel,
                             ThreadBudget *budget, const EpochGate &keepGoing)
{
    const auto aggregations = candidatesOf(config, !validRows.empty());
    const bool choosing = aggregations.size() > 1;
    std::vector<Candidate> candidates;
    for (ItemAggregation agg : aggregations) { // built here: initialisation draws in order
        Candidate c;
        c.config = config;
        c.config.itemAggregation = agg;
        c.model = std::make_unique<SequenceModel>(c.config, layout, training.seed);
        candidates.push_back(std::move(c));
    }
    std::mutex progressMutex; // candidates training side by side report one at a time
    TrialRace race(candidates.size(), training.minEpochs);
    auto train = [&](size_t k, ThreadBudget *lender) {
        Candidate &c = candidates[k];
        ProgressFn tagged = progress;
        if (choosing && progress)
            tagged = [&, name = std::string(toString(c.config.itemAggregation))](
                         const TrainProgress &p) {
                TrainProgress q = p;
                q.task = (p.task.empty() ? "sequence" : p.task) + kTrialSeparator + name;
                std::lock_guard<std::mutex> lock(progressMutex);
                progress(q);
            };
        EpochGate gate = keepGoing;
        if (choosing)
            gate = [&race, &keepGoing, k](int64_t epoch, double auc) {
                const bool ahead = race.report(k, epoch, auc);
                return (!keepGoing || keepGoing(epoch, auc)) && ahead;
            };
        c.result = trainModel(*c.model, data, trainRows, validRows, training, tagged, cancel,
                              lender, gate);
    };
    const int64_t threads = at::get_num_threads();
    if (choosing && threads >= 2) {
        trainSideBySide(candidates.size(), threads, train);
    } else {
        // One after another, the GRU first: the race stops the Transformer at its epoch when it
        // is behind the GRU's record there (the same choice as side by side).
        for (size_t n = 0; n < candidates.size(); ++n) {
            const size_t k = candidates.size() - 1 - n;
            train(k, budget);
            if (candidates[k].result.cancelled)
                break;
        }
    }
    return keptOf(candidates, race, choosing);
}

} // namespace seqlens
