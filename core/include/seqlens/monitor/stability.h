// SPDX-License-Identifier: GPL-3.0-or-later
// Population and characteristic stability: the distribution of one quantity in a reference
// population (development) against a monitored batch, over bins fixed on the reference only.
//
//   PSI = sum over bins of (a - e) * ln(a / e),  e, a = the bin's shares of reference and batch.
//
// A bin empty in one population counts as `kPsiFloorShare` of it, so the index stays finite
// (the usual convention). Missing values get a bin of their own; categorical values that the
// reference never had share one "new" bin, so a new event type shows as a share, not an error.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

namespace seqlens {

constexpr double kPsiFloorShare = 1e-4;

// The PSI of two count vectors over the same bins (counts, not shares). Throws a Data error
// when either population is empty or the sizes differ.
double psiOfCounts(const std::vector<int64_t> &reference, const std::vector<int64_t> &batch);

// One stability result: its bins with counts in both populations and the index.
struct Stability {
    std::string name;
    std::string kind;              // "score", "window feature", "model input", "sequence"
    std::vector<std::string> bins; // labels: "<= 3.5", "(3.5, 7]", "> 12", "missing", "new", values
    std::vector<int64_t> reference, batch;
    double psi = 0;
    double newShare = 0; // categorical: batch share of values the reference never had
    double missingShareRef = 0, missingShareBatch = 0;
};

// Numeric bins: upper edges at the reference's quantiles (ties merged, so a count with few
// distinct values gets fewer bins), plus a "missing" bin for NaN. Fitted once, on the
// reference; applying them to a batch never moves an edge.
class NumericBins {
public:
    static NumericBins fit(const std::vector<double> &reference, int bins);
    // The bin of a value: 0..edges() for numbers, missingBin() for NaN.
    size_t binOf(double value) const;
    size_t binCount() const { return m_edges.size() + 2; }
    size_t missingBin() const { return m_edges.size() + 1; }
    std::vector<std::string> labels() const;
    const std::vector<double> &edges() const { return m_edges; }
    std::vector<int64_t> count(const std::vector<double> &values) const;

private:
    std::vector<double> m_edges; // ascending upper edges of bins 0..edges-1; the last bin is open
};

// Categorical bins: the reference's values, the most frequent first (at most `maxValues`; the
// rest of the reference's values share "other"), then "new" (values the reference never had)
// and "missing" (empty strings).
class CategoricalBins {
public:
    static CategoricalBins fit(const std::vector<std::string> &reference, int maxValues = 50);
    // The same from the reference's value counts (missing values not included).
    static CategoricalBins fitCounts(std::vector<std::pair<std::string, int64_t>> counts,
                                     int maxValues = 50);
    size_t binOf(const std::string &value) const;
    size_t binCount() const { return m_labels.size(); }
    size_t newBin() const { return m_labels.size() - 2; }
    size_t missingBin() const { return m_labels.size() - 1; }
    const std::vector<std::string> &labels() const { return m_labels; }
    std::vector<int64_t> count(const std::vector<std::string> &values) const;

private:
    std::vector<std::string> m_labels;
    std::vector<std::pair<std::string, size_t>> m_sorted; // value -> bin, sorted by value
};

Stability numericStability(const std::string &name, const std::string &kind,
                           const std::vector<double> &reference, const std::vector<double> &batch,
                           int bins);

Stability categoricalStability(const std::string &name, const std::string &kind,
                               const std::vector<std::string> &reference,
                               const std::vector<std::string> &batch, int maxValues = 50);

// The shares and PSI of counts over bins already fixed (for one cohort of a batch, say).
Stability stabilityOf(const std::string &name, const std::string &kind,
                      std::vector<std::string> bins, std::vector<int64_t> reference,
                      std::vector<int64_t> batch, size_t newBin, size_t missingBin);
constexpr size_t kNoBin = size_t(-1);

// Traffic lights. Green below `amber`, amber below `red`, red at or above it.
enum class Light { Green, Amber, Red };
const char *toString(Light light);
Light lightOfPsi(double psi, double amber, double red);
Light worst(Light a, Light b);

} // namespace seqlens
