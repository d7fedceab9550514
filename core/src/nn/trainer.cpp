// SPDX-License-Identifier: GPL-3.0-or-later
#include "seqlens/nn/trainer.h"

#include "fused_adamw.h"
#include "random_stream.h"
#include "seqlens/compare/metrics.h"
#include "seqlens/util/error.h"
#include "sequence_model_impl.h"
#include "step_workers.h"

#include <ATen/Parallel.h>

#include <algorithm>
#include <chrono>
#include <numeric>
#include <random>

namespace seqlens {

namespace {

using Clock = std::chrono::steady_clock;
double secondsSince(Clock::time_point t)
{
    return std::chrono::duration<double>(Clock::now() - t).count();
}

void requireBothClasses(const EncodedDataset &data, const std::vector<int64_t> &idx,
                        const char *split)
{
    int64_t pos = 0;
    for (int64_t a : idx)
        pos += data.labels[size_t(a)] > 0.5f;
    if (pos == 0 || pos == int64_t(idx.size()))
        throwData(std::string("the ") + split + " split has " + std::to_string(pos) + " bad and " +
                  std::to_string(int64_t(idx.size()) - pos) +
                  " good applicants; training needs both classes (check labels.positive and the "
                  "label column)");
}

std::vector<torch::Tensor> snapshot(nn::SeqNet &net)
{
    std::vector<torch::Tensor> out;
    for (const auto &p : net->parameters())
        out.push_back(p.detach().clone());
    return out;
}

void restore(nn::SeqNet &net, const std::vector<torch::Tensor> &state)
{
    torch::NoGradGuard g;
    auto params = net->parameters();
    for (size_t i = 0; i < params.size(); ++i)
        params[i].copy_(state[i]);
}

TrainProgress progressAt(int64_t epoch, int64_t epochs, int64_t batch, int64_t batches, double loss,
                         double validAuc)
{
    TrainProgress p;
    p.epoch = epoch;
    p.epochs = epochs;
    p.batch = batch;
    p.batches = batches;
    p.loss = loss;
    p.validAuc = validAuc;
    return p;
}

// Learning rate of optimisation step `step` (0-based) of `total`: constant, or a linear warm-up
// over warmup_epochs followed by a cosine decay to 5 % of the base rate at the last epoch.
double learningRateAt(const TrainingConfig &cfg, int64_t step, int64_t total, int64_t perEpoch)
{
    if (cfg.lrSchedule == LrSchedule::Constant)
        return cfg.learningRate;
    const double warm = cfg.warmupEpochs * double(perEpoch);
    if (double(step) < warm)
        return cfg.learningRate * double(step + 1) / warm;
    const double span = std::max(1.0, double(total) - warm);
    const double progress = std::min(1.0, (double(step) - warm) / span);
    return cfg.learningRate * (0.05 + 0.95 * 0.5 * (1.0 + std::cos(M_PI * progress)));
}

// Rows per micro-batch, at most: each optimisation step sorts its batch by history length and
// cuts it into ceil(batch / kMicroBatchRows) parts of near-equal size, each padded only to its
// own longest history. The parts depend on the batch alone, never on the thread count, so a
// run gives the same numbers on any number of threads.
constexpr int64_t kMicroBatchRows = 32;
constexpr int64_t kValidChunk = 1024; // validation rows per forward pass

std::vector<std::vector<int64_t>> microBatches(const EncodedDataset &data, const int64_t *rows,
                                               int64_t n)
{
    std::vector<int64_t> order(rows, rows + n);
    std::stable_sort(order.begin(), order.end(),
                     [&](int64_t a, int64_t b) { return data.length(a) < data.length(b); });
    const int64_t parts = (n + kMicroBatchRows - 1) / kMicroBatchRows;
    std::vector<std::vector<int64_t>> out;
    for (int64_t k = 0; k < parts; ++k)
        out.emplace_back(order.begin() + k * n / parts, order.begin() + (k + 1) * n / parts);
    return out;
}

// One optimisation step on the rows [rows, rows + n): each micro-batch's share of the mean loss
// differentiated on its own (dropout from its own seed, drawn in order from this thread's
// stream), the gradients summed in micro-batch order by the optimiser.
double trainStep(nn::SeqNet &net, nn::FusedAdamW &optimizer, nn::StepWorkers &workers,
                 const EncodedDataset &data, const int64_t *rows, int64_t n,
                 const torch::Tensor &posWeight, double lr, double clip)
{
    const auto parts = microBatches(data, rows, n);
    std::vector<uint64_t> seeds(parts.size());
    for (auto &s : seeds)
        s = nn::nextRandomSeed();
    const auto params = net->parameters();
    std::vector<std::vector<torch::Tensor>> grads(parts.size());
    std::vector<double> losses(parts.size());
    workers.run(parts.size(), [&](size_t k) {
        nn::ScopedRandomStream stream(seeds[k]);
        auto batch = nn::collate(data, parts[k].data(), int64_t(parts[k].size()));
        auto loss = torch::binary_cross_entropy_with_logits(
            net->forward(batch).logits, batch.labels, {}, posWeight, at::Reduction::Sum);
        losses[k] = loss.item<double>();
        grads[k] = torch::autograd::grad({loss / double(n)}, params, {}, false, false, true);
    });
    optimizer.step(grads, lr, clip);
    return std::accumulate(losses.begin(), losses.end(), 0.0);
}

struct ValidScore {
    double loss = 0, auc = std::nan("");
};

// Logits of `idx` in chunks of kValidChunk rows spread over the workers (the same chunks on
// any thread count).
std::vector<double> validLogits(nn::SeqNet &net, nn::StepWorkers &workers,
                                const EncodedDataset &data, const std::vector<int64_t> &idx)
{
    std::vector<double> out(idx.size());
    const size_t chunks = (idx.size() + kValidChunk - 1) / kValidChunk;
    net->eval();
    workers.run(chunks, [&](size_t c) {
        torch::NoGradGuard noGrad;
        const size_t begin = c * kValidChunk, n = std::min<size_t>(kValidChunk, idx.size() - begin);
        auto batch = nn::collate(data, idx.data() + begin, int64_t(n));
        auto logits = net->forward(batch).logits.contiguous();
        std::copy(logits.data_ptr<float>(), logits.data_ptr<float>() + n,
                  out.begin() + long(begin));
    });
    return out;
}

ValidScore validate(nn::SeqNet &net, nn::StepWorkers &workers, const EncodedDataset &data,
                    const std::vector<int64_t> &idx, double posWeight)
{
    ValidScore v;
    auto logits = validLogits(net, workers, data, idx);
    std::vector<int> labels;
    double loss = 0;
    for (size_t i = 0; i < idx.size(); ++i) {
        int y = data.labels[size_t(idx[i])] > 0.5f;
        labels.push_back(y);
        double x = logits[i];
        double sp = std::max(x, 0.0) + std::log1p(std::exp(-std::fabs(x))); // softplus(x)
        loss += y ? posWeight * (sp - x) : sp;
    }
    v.loss = loss / double(idx.size());
    v.auc = aucScore(logits, labels);
    return v;
}

} // namespace

TrainResult trainModel(SequenceModel &model, const EncodedDataset &data,
                       const std::vector<int64_t> &trainRows, const std::vector<int64_t> &validRows,
                       const TrainingConfig &cfg, const ProgressFn &progress,
                       const CancelToken *cancel, ThreadBudget *budget,
                       const EpochGate &keepGoing)
{
    const auto start = Clock::now();
    auto train = trainRows;
    const auto &valid = validRows;
    if (train.empty())
        throwData("no labeled applicants in the train split");
    requireBothClasses(data, train, "train");
    if (!valid.empty())
        requireBothClasses(data, valid, "validation");

    nn::SeqNet &net = model.impl().net;
    nn::ScopedRandomStream dropoutSeeds(cfg.seed +
                                        1); // this thread's own stream: see random_stream.h
    std::mt19937_64 rng(cfg.seed + 2);
    nn::FusedAdamW optimizer(net->parameters(), cfg.weightDecay,
                             net->lrScales(cfg.embeddingLrScale,
                                           cfg.derivedLrScale.value_or(cfg.embeddingLrScale)));
    auto posWeight = torch::tensor({float(cfg.posWeight)});
    // The calling thread's LibTorch threads, and any lent from the budget, become micro-batch
    // workers for this run (no more than a batch has micro-batches).
    const int64_t ownThreads = at::get_num_threads();
    const int64_t parts = (cfg.batchSize + kMicroBatchRows - 1) / kMicroBatchRows;
    int64_t lent = 0;
    std::unique_ptr<nn::StepWorkers> workers;
    auto sizeWorkers = [&] {
        const int64_t more = budget && ownThreads + lent < parts ? budget->claim() : 0;
        if (workers && more == 0)
            return;
        lent += more;
        workers.reset(); // restores this thread's LibTorch threads before the new pool lowers them
        workers = std::make_unique<nn::StepWorkers>(std::min(parts, ownThreads + lent));
    };

    TrainResult res;
    std::vector<torch::Tensor> best;
    int64_t sinceBest = 0;
    const int64_t batches = (int64_t(train.size()) + cfg.batchSize - 1) / cfg.batchSize;
    for (int64_t epoch = 1; epoch <= cfg.epochs; ++epoch) {
        const auto epochStart = Clock::now();
        sizeWorkers();
        std::shuffle(train.begin(), train.end(), rng);
        net->train();
        double lossSum = 0;
        for (int64_t b = 0; b < batches; ++b) {
            if (cancel && cancel->cancelled()) {
                res.cancelled = true;
                break;
            }
            const int64_t off = b * cfg.batchSize,
                          n = std::min<int64_t>(cfg.batchSize, int64_t(train.size()) - off);
            const double lr = learningRateAt(cfg, (epoch - 1) * batches + b, cfg.epochs * batches,
                                             batches);
            lossSum += trainStep(net, optimizer, *workers, data, train.data() + off, n, posWeight,
                                 lr, cfg.gradClip) /
                       double(n);
            res.sequencesSeen += n;
            if (progress) {
                TrainProgress p = progressAt(epoch, cfg.epochs, b + 1, batches,
                                             lossSum / double(b + 1), res.bestValidAuc);
                const double perBatch = secondsSince(start) / double((epoch - 1) * batches + b + 1);
                p.etaSeconds = perBatch *
                               double((cfg.epochs - epoch) * batches + (batches - b - 1));
                progress(p);
            }
        }
        if (res.cancelled)
            break;
        EpochRecord rec{epoch, lossSum / double(batches)};
        if (!valid.empty()) {
            ValidScore v = validate(net, *workers, data, valid, cfg.posWeight);
            rec.validLoss = v.loss;
            rec.validAuc = v.auc;
        }
        rec.seconds = secondsSince(epochStart);
        res.history.push_back(rec);
        res.epochsRun = epoch;
        const bool improved = valid.empty() || std::isnan(res.bestValidAuc) ||
                              rec.validAuc > res.bestValidAuc;
        if (improved) {
            res.bestValidAuc = valid.empty() ? std::nan("") : rec.validAuc;
            res.bestEpoch = epoch;
            best = snapshot(net);
            sinceBest = 0;
        } else {
            ++sinceBest;
        }
        if (progress) {
            TrainProgress p = progressAt(epoch, cfg.epochs, batches, batches, rec.trainLoss,
                                         rec.validAuc);
            p.etaSeconds = secondsSince(start) / double(epoch) * double(cfg.epochs - epoch);
            p.epochEnd = true;
            p.validLoss = rec.validLoss;
            p.epochSeconds = rec.seconds;
            progress(p);
        }
        if (keepGoing && !keepGoing(epoch, res.bestValidAuc))
            break;
        if (sinceBest >= cfg.patience && epoch >= cfg.minEpochs)
            break;
    }
    workers.reset();
    if (budget && lent > 0)
        budget->giveBack(lent);
    if (!best.empty())
        restore(net, best);
    net->eval();
    res.seconds = secondsSince(start);
    return res;
}

} // namespace seqlens
