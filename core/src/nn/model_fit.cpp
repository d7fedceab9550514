// SPDX-License-Identifier: GPL-3.0-or-later
#include "seqlens/nn/model_fit.h"
#include "seqlens/nn/trial_race.h"

#include <ATen/Parallel.h>

#include <exception>
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
        // Side by side, each on half the threads; the first to finish lends its threads to the
        // other. Training gives the same numbers on any thread count.
        ThreadBudget local;
        const int64_t half = threads / 2;
        std::vector<std::exception_ptr> errors(candidates.size());
        std::vector<std::thread> pool;
        for (size_t k = 0; k < candidates.size(); ++k)
            pool.emplace_back([&, k, half] {
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
    const std::optional<size_t> raced = race.winner();

    FittedModel best;
    double seconds = 0;
    for (size_t k = 0; k < candidates.size(); ++k) {
        Candidate &c = candidates[k];
        seconds += c.result.seconds;
        if (c.result.cancelled || !c.model) {
            FittedModel out;
            out.training = c.result;
            return out;
        }
        const bool lost = raced && *raced != k;
        if (lost) // its record as it stood at the race epoch, whenever it noticed
            c.result = resultAfterEpoch(c.result, race.at());
        if (choosing)
            best.trials.push_back({c.config.itemAggregation, c.result.bestValidAuc,
                                   c.result.bestEpoch, c.result.epochsRun, c.result.seconds,
                                   lost ? race.at() : 0});
        const bool better = raced ? *raced == k
                                  : !best.model ||
                                        c.result.bestValidAuc > best.training.bestValidAuc;
        if (better) {
            best.model = std::move(c.model);
            best.config = c.config;
            best.training = c.result;
        }
    }
    best.training.seconds = seconds;
    return best;
}

} // namespace seqlens
