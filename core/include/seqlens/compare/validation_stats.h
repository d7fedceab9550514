// SPDX-License-Identifier: GPL-3.0-or-later
// Statistics a model validator signs off on. Scores: higher = more likely bad (label 1).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace seqlens {

struct AucInterval {
    double auc = 0, se = 0, lo = 0,
           hi = 0; // DeLong standard error, normal 95% interval clipped to [0, 1]
};
// DeLong, DeLong & Clarke-Pearson (1988), with midranks for ties.
AucInterval delongAuc(const std::vector<double> &scores, const std::vector<int> &labels);

struct PairedAucTest {
    double aucA = 0, aucB = 0;
    double delta = 0; // AUC(B) - AUC(A)
    double se = 0, z = 0;
    double pValue = 1;     // two-sided
    double lo = 0, hi = 0; // 95% interval of delta
};
// Paired DeLong test on the same applicants.
PairedAucTest delongPaired(const std::vector<double> &scoresA, const std::vector<double> &scoresB,
                           const std::vector<int> &labels);

struct BootstrapInterval {
    double value = 0, lo = 0, hi = 0; // percentile 95% interval
    int reps = 0;
};
// The mean of `values` with a percentile interval from `reps` plain resamples, seeded.
BootstrapInterval bootstrapMean(const std::vector<double> &values, int reps, uint64_t seed);
// KS with a stratified bootstrap (bads and goods resampled separately), seeded.
BootstrapInterval bootstrapKs(const std::vector<double> &scores, const std::vector<int> &labels,
                              int reps, uint64_t seed);
// KS(B) - KS(A) with the same resamples for both models.
BootstrapInterval bootstrapDeltaKs(const std::vector<double> &scoresA,
                                   const std::vector<double> &scoresB,
                                   const std::vector<int> &labels, int reps, uint64_t seed);

struct LiftRow {
    int group = 0; // 1 = highest scores
    int64_t count = 0, bads = 0;
    double minScore = 0, maxScore = 0;
    double badRate = 0;    // bads / count
    double cumCapture = 0; // share of all bads in groups 1..this
    double lift = 0;       // badRate / overall bad rate
};
// Gains table by score group (deciles by default), highest scores first. Tied scores never
// straddle two groups, so group sizes may differ slightly.
std::vector<LiftRow> liftTable(const std::vector<double> &scores, const std::vector<int> &labels,
                               int groups = 10);

struct CalibrationBin {
    int64_t count = 0, bads = 0;
    double meanPredicted = 0, observedRate = 0;
};
struct Calibration {
    std::vector<CalibrationBin> bins;
    double brier = 0;           // mean (p - y)^2
    double hosmerLemeshow = 0; // chi-square statistic over the bins
    // The bins in the statistic (those with 0 < expected bads < count). The probabilities are
    // judged on data they were not fitted on (the test split), so the reference is chi-square
    // with G degrees of freedom, not G - 2 (Hosmer, Lemeshow & Sturdivant, external validation).
    int hlDegreesOfFreedom = 0;
    double hlPValue = 1;
};
// Calibration of probabilities in [0, 1], bins by predicted-probability quantile (ties kept
// together).
Calibration calibration(const std::vector<double> &probabilities, const std::vector<int> &labels,
                        int bins = 10);

// Population stability index of `actual` against `expected`, bins at the deciles of
// `expected`; empty bins count as 0.0001 of their population so the index stays finite
// (numericStability in monitor/stability.h, which monitoring uses too).
double populationStabilityIndex(const std::vector<double> &expected,
                                const std::vector<double> &actual, int bins = 10);

struct SwapSet {
    std::vector<std::string> bands;                 // e.g. "low", "medium", "high"
    std::vector<std::vector<int64_t>> counts, bads; // [band of A][band of B]
};
// Applicants cross-tabulated by score band under model A and model B (bands at the score
// terciles of each model by default).
SwapSet swapSet(const std::vector<double> &scoresA, const std::vector<double> &scoresB,
                const std::vector<int> &labels, int bandsCount = 3);

// Upper tail of the chi-square distribution.
double chiSquareSurvival(double x, int degreesOfFreedom);

} // namespace seqlens
