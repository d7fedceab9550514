// SPDX-License-Identifier: GPL-3.0-or-later
#include "compare_jobs.h"

#include "seqlens/explain/global_attention.h"
#include "seqlens/util/error.h"

#include <algorithm>
#include <random>
#include <thread>

namespace seqlens {

namespace {

// The data of one sequence model: `fitRows` split into an inner stratified Train/Valid split
// for early stopping (seeded), the encoder fitted on the Train part only, every applicant
// encoded with it.
struct FitData {
    std::vector<int64_t> train, valid; // ascending
    Encoder encoder;
    EncodedDataset data;
    EncodeReport report;
};

FitData encodeForFit(const CompareContext &c, const std::vector<int64_t> &fitRows, uint64_t seed)
{
    const double validShare = c.cfg.training.validFraction /
                              std::max(1e-9, 1.0 - c.cfg.training.testFraction);
    FitData fd;
    std::mt19937_64 rng(seed);
    for (int cls = 0; cls <= 1; ++cls) { // stratified: the same valid share of bads and goods
        std::vector<int64_t> rows;
        for (int64_t a : fitRows)
            if (c.raw.applicants[size_t(a)].label == cls)
                rows.push_back(a);
        std::shuffle(rows.begin(), rows.end(), rng);
        const size_t nValid = size_t(std::llround(validShare * double(rows.size())));
        for (size_t i = 0; i < rows.size(); ++i)
            (i < nValid ? fd.valid : fd.train).push_back(rows[i]);
    }
    std::sort(fd.train.begin(), fd.train.end());
    std::sort(fd.valid.begin(), fd.valid.end());
    fd.encoder = Encoder::fit(c.raw, c.cfg, fd.train);
    fd.data = fd.encoder.encode(c.raw, &fd.report);
    return fd;
}

// The global attention of a bundle: of a bag, the mean of its fold models' (each is a mean of
// attention weights over the same events, so the mean is that of the bag's mean attention).
GlobalAttention bundleAttention(const ModelBundle &b, const RawDataset &raw,
                                const EncodedDataset &data, const std::vector<int64_t> &rows,
                                const std::vector<double> &edges)
{
    const auto members = b.members();
    GlobalAttention g = globalAttention(members[0].model, members[0].encoder, raw, data, rows,
                                        edges);
    for (size_t k = 1; k < members.size(); ++k) {
        const MemberView &m = members[k];
        const auto other = globalAttention(m.model, m.encoder, raw, m.encoder.encode(raw), rows,
                                           edges);
        for (size_t f = 0; f < g.meanFieldWeight.size(); ++f)
            g.meanFieldWeight[f] += other.meanFieldWeight[f];
        for (size_t i = 0; i < g.meanItemWeight.size(); ++i)
            g.meanItemWeight[i] += other.meanItemWeight[i];
        for (size_t s = 0; s < g.sources.size() && s < other.sources.size(); ++s) {
            g.sources[s].timelineShare += other.sources[s].timelineShare;
            for (size_t f = 0; f < g.sources[s].meanFieldWeight.size(); ++f)
                g.sources[s].meanFieldWeight[f] += other.sources[s].meanFieldWeight[f];
        }
    }
    const double k = double(members.size());
    for (double &w : g.meanFieldWeight)
        w /= k;
    for (double &w : g.meanItemWeight)
        w /= k;
    for (auto &s : g.sources) {
        s.timelineShare /= k;
        for (double &w : s.meanFieldWeight)
            w /= k;
    }
    return g;
}

void keepModel(const CompareContext &c, SequenceJob &job, FittedModel &fit, FitData &fd)
{
    job.training = fit.training;
    job.encodeReport = std::move(fd.report);
    job.bundle.config = c.cfg;
    job.bundle.config.model = fit.config; // "auto" resolved
    if (job.calibrate && c.cfg.model.calibration != CalibrationMethod::None && !fd.valid.empty())
        job.bundle.calibrator = fitCalibrator(c.cfg.model.calibration,
                                              fit.model->predictLogits(fd.data, fd.valid),
                                              labelsOf(c.raw, fd.valid));
    job.bundle.referenceEmbedding = fit.model->meanInputEmbedding(fd.data, fd.train);
    job.bundle.encoder = std::move(fd.encoder);
    job.bundle.model = std::move(fit.model);
}

// Trains the job's model and scores its rows. Returns false when stopped.
bool runJob(const CompareContext &c, SequenceJob &job, const ProgressFn &progress,
            const CancelToken &stop, ThreadBudget &budget)
{
    FitData fd = encodeForFit(c, job.fitRows, job.seed);
    TrainingConfig tc = c.cfg.training;
    tc.seed = job.seed;
    ModelConfig mc = c.cfg.model;
    if (job.aggregation)
        mc.itemAggregation = *job.aggregation;
    FittedModel fit = fitSequenceModel(mc, layoutOf(fd.encoder), fd.data, fd.train, fd.valid, tc,
                                       progress, &stop, &budget, job.keepGoing);
    if (fit.training.cancelled)
        return false;
    job.logits = fit.model->predictLogits(fd.data, job.scoreRows);
    job.choice = {job.what, fit.config.itemAggregation, fit.trials};
    if (job.keep)
        keepModel(c, job, fit, fd);
    const EncodedDataset data = job.explain ? std::move(fd.data) : EncodedDataset();
    return !job.explain ||
           explainGlobally(c, job.bundle, data, stop, job.globalAttention, job.explanationAudit);
}

// Fold models draw randomness only from their own streams (trainer.h), so they can train side
// by side, one per thread: on 2 cores two 1-thread models do more work than one 2-thread model
// (tiny matrices scale poorly across threads). LSTM dropout between stacked layers uses
// LibTorch's shared generator, so those models train one at a time.
int64_t concurrentModels(const ModelConfig &m, int64_t threads, size_t jobs)
{
    const bool sharedRng = m.itemAggregation == ItemAggregation::Lstm && m.layers > 1 &&
                           m.dropout > 0;
    return sharedRng ? 1 : std::max<int64_t>(1, std::min<int64_t>(threads, int64_t(jobs)));
}

// Runs the jobs in order on `workers` threads. Returns false when cancelled; rethrows the first
// error.
bool runJobs(const CompareContext &c, std::span<SequenceJob> jobs, int64_t workers, int64_t threads,
             int64_t firstStep, int64_t steps)
{
    std::mutex mutex; // serialises progress reports and the job queue
    size_t next = 0;
    CancelToken stop;
    std::exception_ptr error;
    ThreadBudget budget;
    const int64_t perWorker = std::max<int64_t>(1, threads / workers);
    auto work = [&](bool ownThread) {
        if (ownThread)
            setTorchThreads(perWorker);
        for (;;) {
            SequenceJob *job = nullptr;
            {
                std::lock_guard<std::mutex> lock(mutex);
                if (stop.cancelled() || (c.req.cancel && c.req.cancel->cancelled()))
                    return;
                if (next == jobs.size()) {
                    budget.lend(perWorker); // no job left: to whichever is still training
                    return;
                }
                job = &jobs[next++];
                if (c.req.stepProgress)
                    c.req.stepProgress(firstStep + int64_t(next),
                                       steps > 0 ? steps : int64_t(jobs.size()), job->what);
            }
            ProgressFn progress = [&, task = job->what](const TrainProgress &p) {
                std::lock_guard<std::mutex> lock(mutex);
                if (c.req.cancel && c.req.cancel->cancelled())
                    stop.cancel();
                if (c.req.progress) {
                    TrainProgress q = p;
                    const auto trial = p.task.find(kTrialSeparator); // "auto": the candidate
                    q.task = trial == std::string::npos ? task : task + p.task.substr(trial);
                    c.req.progress(q);
                }
            };
            try {
                if (!runJob(c, *job, progress, stop, budget))
                    return;
            } catch (...) {
                std::lock_guard<std::mutex> lock(mutex);
                if (!error)
                    error = std::current_exception();
                stop.cancel();
                return;
            }
        }
    };
    if (workers <= 1) {
        work(false);
    } else {
        std::vector<std::thread> pool;
        for (int64_t w = 0; w < workers; ++w)
            pool.emplace_back(work, true);
        for (auto &t : pool)
            t.join();
        setTorchThreads(threads); // the workers lowered LibTorch's process-wide default
    }
    if (error)
        std::rethrow_exception(error);
    return !stop.cancelled() && !(c.req.cancel && c.req.cancel->cancelled());
}

} // namespace

bool explainGlobally(const CompareContext &c, const ModelBundle &bundle, const EncodedDataset &data,
                     const CancelToken &stop, std::optional<GlobalAttention> &attention,
                     std::optional<ExplanationAudit> &audit)
{
    if (!c.req.explainGlobally)
        return true;
    attention = bundleAttention(bundle, c.raw, data, c.test, c.cfg.sequence.timeBucketsDays);
    AuditOptions o;
    o.explain = explainOptions(c.cfg);
    o.seed = c.cfg.training.seed;
    o.cancel = &stop;
    try {
        audit = auditExplanations(bundle, c.raw, data, c.test, o);
    } catch (const Error &e) {
        if (e.kind() != ErrorKind::Cancelled)
            throw;
        return false;
    }
    return true;
}

bool runSequenceJobs(const CompareContext &c, std::span<SequenceJob> jobs, int64_t threads,
                     int64_t firstStep, int64_t steps)
{
    return runJobs(c, jobs, concurrentModels(c.cfg.model, threads, jobs.size()), threads, firstStep,
                   steps);
}

} // namespace seqlens
