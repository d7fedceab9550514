// SPDX-License-Identifier: GPL-3.0-or-later
#include "seqlens/nn/model_fit.h"

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
                             ThreadBudget *budget)
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
    auto train = [&](Candidate &c, ThreadBudget *lender) {
        ProgressFn tagged = progress;
        if (choosing && progress)
            tagged = [&, name = std::string(toString(c.config.itemAggregation))](
                         const TrainProgress &p) {
                TrainProgress q = p;
                q.task = (p.task.empty() ? "sequence" : p.task) + kTrialSeparator + name;
                std::lock_guard<std::mutex> lock(progressMutex);
                progress(q);
            };
        c.result = trainModel(*c.model, data, trainRows, validRows, training, tagged, cancel,
                              lender);
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
                    train(candidates[k], &local);
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
        for (Candidate &c : candidates) {
            train(c, budget);
            if (c.result.cancelled)
                break;
        }
    }

    FittedModel best;
    double seconds = 0;
    for (Candidate &c : candidates) {
        seconds += c.result.seconds;
        if (c.result.cancelled || !c.model) {
            FittedModel out;
            out.training = c.result;
            return out;
        }
        if (choosing)
            best.trials.push_back({c.config.itemAggregation, c.result.bestValidAuc,
                                   c.result.bestEpoch, c.result.epochsRun, c.result.seconds});
        if (!best.model || c.result.bestValidAuc > best.training.bestValidAuc) {
            best.model = std::move(c.model);
            best.config = c.config;
            best.training = c.result;
        }
    }
    best.training.seconds = seconds;
    return best;
}

} // namespace seqlens
