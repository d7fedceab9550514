// SPDX-License-Identifier: GPL-3.0-or-later
// The sequence models of a comparison: the K fold models (out-of-fold logits for development)
// and the model scoring test, the bag of the fold models or one more full-development model.
#include "compare_jobs.h"
#include "seqlens/nn/trial_race.h"

#include <algorithm>
#include <random>

namespace seqlens {

using Context = CompareContext;

namespace {

// Stratified split of `rows` into k folds (fold id per position of `rows`), seeded.
std::vector<int> stratifiedFolds(const RawDataset &d, const std::vector<int64_t> &rows, int64_t k,
                                 uint64_t seed)
{
    std::vector<int> fold(rows.size());
    std::mt19937_64 rng(seed);
    for (int cls = 0; cls <= 1; ++cls) {
        std::vector<size_t> pos;
        for (size_t i = 0; i < rows.size(); ++i)
            if (d.applicants[size_t(rows[i])].label == cls)
                pos.push_back(i);
        std::shuffle(pos.begin(), pos.end(), rng);
        for (size_t i = 0; i < pos.size(); ++i)
            fold[pos[i]] = int(i % size_t(k));
    }
    return fold;
}

// The K fold jobs, after the full-development job unless bagged. Scoring jobs score the test
// rows, then the development rows (for PSI and the in-sample check), after their own rows.
std::vector<SequenceJob> sequenceJobs(const Context &c, int64_t folds, bool bagged)
{
    const uint64_t seed = c.cfg.training.seed;
    const auto fold = stratifiedFolds(c.raw, c.dev, folds, seed + 11);
    std::vector<int64_t> testThenDev = c.test;
    testThenDev.insert(testThenDev.end(), c.dev.begin(), c.dev.end());
    std::vector<SequenceJob> jobs;
    if (!bagged) { // first: it is the largest, so the fold models fill in around it
        SequenceJob full;
        full.what = "full model (all development applicants)";
        full.seed = seed + 101 * uint64_t(folds + 1);
        full.fitRows = c.dev;
        full.scoreRows = testThenDev;
        full.keep = full.calibrate = full.explain = true;
        jobs.push_back(std::move(full));
    }
    for (int64_t k = 0; k < folds; ++k) {
        SequenceJob job;
        job.what = "fold " + std::to_string(k + 1) + "/" + std::to_string(folds);
        job.seed = seed + 101 * uint64_t(k + 1);
        for (size_t i = 0; i < c.dev.size(); ++i) {
            if (fold[i] != k) {
                job.fitRows.push_back(c.dev[i]);
            } else {
                job.scoreRows.push_back(c.dev[i]);
                job.scorePos.push_back(i);
            }
        }
        if (bagged) {
            job.keep = true;
            job.scoreRows.insert(job.scoreRows.end(), testThenDev.begin(), testThenDev.end());
        }
        jobs.push_back(std::move(job));
    }
    return jobs;
}

// The test and in-sample development logits of the scoring jobs (their mean).
void scoringLogits(const Context &c, const std::vector<SequenceJob *> &scoring, SequenceLogits &out)
{
    out.test.assign(c.test.size(), 0.0);
    out.devInSample.assign(c.dev.size(), 0.0);
    for (const SequenceJob *job : scoring) {
        const size_t own = job->scorePos.size(); // a fold's own rows come first
        for (size_t i = 0; i < c.test.size(); ++i)
            out.test[i] += job->logits[own + i] / double(scoring.size());
        for (size_t i = 0; i < c.dev.size(); ++i)
            out.devInSample[i] += job->logits[own + c.test.size() + i] / double(scoring.size());
    }
}

// The bundle scoring test: the full model, or fold 1 with the other folds as a bag.
ModelBundle scoringBundle(const Context &c, const std::vector<SequenceJob *> &scoring,
                          const SequenceLogits &logits)
{
    ModelBundle bundle = std::move(scoring.front()->bundle);
    for (size_t k = 1; k < scoring.size(); ++k) {
        ModelBundle &fold = scoring[k]->bundle;
        bundle.otherFolds.push_back(
            {std::move(fold.encoder), std::move(fold.model), std::move(fold.referenceEmbedding)});
    }
    // A bag is calibrated on the out-of-fold logits: every development applicant scored by a
    // model that did not see it.
    if (bundle.isBag() && c.cfg.model.calibration != CalibrationMethod::None)
        bundle.calibrator = fitCalibrator(c.cfg.model.calibration, logits.oof,
                                          labelsOf(c.raw, c.dev));
    return bundle;
}

// A job like `job` that trains `aggregation` alone, named after it (" · gru").
SequenceJob trialOf(const SequenceJob &job, ItemAggregation aggregation)
{
    SequenceJob t;
    t.what = job.what + kTrialSeparator + toString(aggregation);
    t.seed = job.seed;
    t.fitRows = job.fitRows;
    t.scoreRows = job.scoreRows;
    t.scorePos = job.scorePos;
    t.keep = job.keep;
    t.calibrate = job.calibrate;
    t.explain = job.explain;
    t.aggregation = aggregation;
    return t;
}

AggregationTrial trialRecord(const SequenceJob &t, int64_t stoppedAt)
{
    return {*t.aggregation, t.training.bestValidAuc, t.training.bestEpoch, t.training.epochsRun,
            t.training.seconds, stoppedAt};
}

// "auto", once for the comparison: the first job (the full model, or fold 1) trains the
// Transformer and the GRU as two jobs side by side, on its own rows and seed; the better best
// validation AUC is kept (ties: the Transformer, as fitSequenceModel keeps) and the first job
// becomes that trial. The two race as in fitSequenceModel: after min_epochs the one behind
// stops. Every other job then trains the kept aggregation alone. One choice instead of one per
// model halves the training; it is made on development rows (the first model's inner
// validation split), never on test. Returns false when cancelled.
bool chooseAggregationOnce(const Context &c, std::vector<SequenceJob> &jobs, int64_t threads)
{
    SequenceJob &first = jobs.front();
    std::vector<SequenceJob> trials;
    trials.push_back(trialOf(first, ItemAggregation::Transformer));
    trials.push_back(trialOf(first, ItemAggregation::Gru));
    TrialRace race(trials.size(), c.cfg.training.minEpochs);
    for (size_t k = 0; k < trials.size(); ++k)
        trials[k].keepGoing = [&race, k](int64_t epoch, double auc) {
            return race.report(k, epoch, auc);
        };
    const int64_t steps = int64_t(jobs.size()) + 1; // the first job's two trials, then the rest
    if (!runSequenceJobs(c, trials, threads, 0, steps))
        return false;
    const RaceOutcome outcome = settle(race, {&trials[0].training, &trials[1].training});
    const size_t win = outcome.kept;
    const ModelChoice choice{first.what,
                             *trials[win].aggregation,
                             {trialRecord(trials[0], outcome.stoppedAt[0]),
                              trialRecord(trials[1], outcome.stoppedAt[1])},
                             ""};
    const std::string what = first.what;
    const double seconds = trials[0].training.seconds + trials[1].training.seconds;
    first = std::move(trials[win]);
    first.what = what;
    first.choice = choice;
    first.training.seconds = seconds; // both trials, as fitSequenceModel counts them
    for (size_t k = 1; k < jobs.size(); ++k)
        jobs[k].aggregation = choice.kept;
    return true;
}

// Trains every job; with "auto" (and validation rows to choose on) the first job chooses for
// all.
bool trainJobs(const Context &c, std::vector<SequenceJob> &jobs, int64_t threads)
{
    const bool once = c.cfg.model.itemAggregation == ItemAggregation::Auto &&
                      c.cfg.training.validFraction > 0;
    if (!once)
        return runSequenceJobs(c, jobs, threads);
    if (!chooseAggregationOnce(c, jobs, threads) ||
        !runSequenceJobs(c, std::span(jobs).subspan(1), threads, 2, int64_t(jobs.size()) + 1))
        return false;
    for (size_t k = 1; k < jobs.size(); ++k)
        jobs[k].choice.chosenOn = jobs.front().what;
    return true;
}

} // namespace

std::vector<int> labelsOf(const RawDataset &d, const std::vector<int64_t> &rows)
{
    std::vector<int> y;
    for (int64_t a : rows)
        y.push_back(d.applicants[size_t(a)].label);
    return y;
}

bool sequenceLogits(const Context &c, int64_t folds, int64_t threads, SequenceLogits &out,
                    SequenceJob &reported)
{
    const bool bagged = c.cfg.baseline.testScores == TestScoring::Bagged;
    std::vector<SequenceJob> jobs = sequenceJobs(c, folds, bagged);
    if (!trainJobs(c, jobs, threads))
        return false;
    out.oof.assign(c.dev.size(), 0.0);
    std::vector<SequenceJob *> scoring;
    for (SequenceJob &job : jobs) {
        for (size_t i = 0; i < job.scorePos.size(); ++i)
            out.oof[job.scorePos[i]] = job.logits[i];
        if (job.keep)
            scoring.push_back(&job);
        out.choices.push_back(job.choice);
    }
    scoringLogits(c, scoring, out);
    ModelBundle bundle = scoringBundle(c, scoring, out);
    reported = std::move(*scoring.front()); // its training, seed and explanations are reported
    reported.bundle = std::move(bundle);
    if (!bagged)
        return true;
    CancelToken never;
    return explainGlobally(c, reported.bundle, reported.bundle.encoder.encode(c.raw),
                           c.req.cancel ? *c.req.cancel : never, reported.globalAttention,
                           reported.explanationAudit);
}

} // namespace seqlens
