// SPDX-License-Identifier: GPL-3.0-or-later
// Discrimination metrics for binary scores. Higher score = more likely bad (label 1).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace seqlens {

struct RocPoint {
    double threshold; // applicants with score >= threshold are flagged
    double fpr;       // share of goods flagged
    double tpr;       // share of bads flagged
};

struct KsPoint {
    double threshold; // score
    double cumGood;   // share of goods with score <= threshold
    double cumBad;    // share of bads with score <= threshold
};

struct BinaryMetrics {
    int64_t n = 0, positives = 0, negatives = 0;
    double auc = 0;         // Mann-Whitney: P(score_bad > score_good) + 0.5 P(equal)
    double gini = 0;        // 2 AUC - 1
    double ks = 0;          // max |F_bad(s) - F_good(s)| over thresholds s
    double ksThreshold = 0; // score where the KS gap is largest
};

// Throws a Data error when labels and scores differ in size, a score is NaN, a label is
// not 0/1, or only one class is present ("AUC needs both classes: ...").
BinaryMetrics binaryMetrics(const std::vector<double> &scores, const std::vector<int> &labels);
double aucScore(const std::vector<double> &scores, const std::vector<int> &labels);

// ROC curve: one point per distinct score (ties move diagonally), from (0,0) to (1,1).
std::vector<RocPoint> rocCurve(const std::vector<double> &scores, const std::vector<int> &labels);
// Cumulative distributions of goods and bads per distinct score, ascending.
std::vector<KsPoint> ksCurve(const std::vector<double> &scores, const std::vector<int> &labels);

} // namespace seqlens
