// SPDX-License-Identifier: GPL-3.0-or-later
#include "seqlens/compare/calibrator.h"

#include "seqlens/util/error.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace seqlens {

namespace {

double sigmoid(double z)
{
    return z >= 0 ? 1.0 / (1.0 + std::exp(-z)) : std::exp(z) / (1.0 + std::exp(z));
}

double logLoss(const std::vector<double> &x, const std::vector<int> &y, double a, double b)
{
    double loss = 0;
    for (size_t i = 0; i < x.size(); ++i) {
        const double z = a * x[i] + b;
        const double sp = std::max(z, 0.0) + std::log1p(std::exp(-std::fabs(z))); // softplus
        loss += sp - (y[i] ? z : 0.0);
    }
    return loss;
}

// Newton's method on the two-parameter logistic likelihood, halving steps that do not lower
// the loss. Starts from the identity map (a = 1, b = 0).
Calibrator fitPlatt(const std::vector<double> &x, const std::vector<int> &y)
{
    double a = 1, b = 0, loss = logLoss(x, y, a, b);
    for (int it = 0; it < 100; ++it) {
        double ga = 0, gb = 0, haa = 0, hab = 0, hbb = 0;
        for (size_t i = 0; i < x.size(); ++i) {
            const double p = sigmoid(a * x[i] + b), r = p - y[i], w = p * (1 - p);
            ga += r * x[i];
            gb += r;
            haa += w * x[i] * x[i];
            hab += w * x[i];
            hbb += w;
        }
        haa += 1e-9;
        hbb += 1e-9;
        const double det = haa * hbb - hab * hab;
        if (!(det > 0))
            break;
        double da = (hbb * ga - hab * gb) / det, db = (haa * gb - hab * ga) / det;
        double step = 1, next = logLoss(x, y, a - da, b - db);
        while (next > loss && step > 1e-8) {
            step /= 2;
            next = logLoss(x, y, a - step * da, b - step * db);
        }
        if (next > loss)
            break;
        a -= step * da;
        b -= step * db;
        const bool done = loss - next < 1e-12 * std::max(1.0, loss);
        loss = next;
        if (done)
            break;
    }
    Calibrator c;
    c.method = CalibrationMethod::Platt;
    c.a = a;
    c.b = b;
    return c;
}

// Pool adjacent violators over the labels sorted by logit (ties pooled first), keeping each
// block's first and last logit so the map interpolates within the fitted range.
Calibrator fitIsotonic(const std::vector<double> &x, const std::vector<int> &y)
{
    std::vector<size_t> order(x.size());
    std::iota(order.begin(), order.end(), size_t(0));
    std::stable_sort(order.begin(), order.end(), [&](size_t i, size_t j) { return x[i] < x[j]; });
    struct Block {
        double lo, hi, sum, n;
    };
    std::vector<Block> blocks;
    for (size_t k = 0; k < order.size(); ++k) {
        const double xi = x[order[k]], yi = y[order[k]];
        if (!blocks.empty() && blocks.back().hi == xi) { // tied logits: one point
            blocks.back().sum += yi;
            blocks.back().n += 1;
        } else {
            blocks.push_back({xi, xi, yi, 1});
        }
        while (blocks.size() > 1 && blocks[blocks.size() - 2].sum / blocks[blocks.size() - 2].n >=
                                        blocks.back().sum / blocks.back().n) {
            Block last = blocks.back();
            blocks.pop_back();
            blocks.back().hi = last.hi;
            blocks.back().sum += last.sum;
            blocks.back().n += last.n;
        }
    }
    Calibrator c;
    c.method = CalibrationMethod::Isotonic;
    for (const Block &bl : blocks) {
        const double p = bl.sum / bl.n;
        c.x.push_back(bl.lo);
        c.y.push_back(p);
        if (bl.hi > bl.lo) {
            c.x.push_back(bl.hi);
            c.y.push_back(p);
        }
    }
    return c;
}

} // namespace

double Calibrator::probability(double logit) const
{
    switch (method) {
    case CalibrationMethod::None: return sigmoid(logit);
    case CalibrationMethod::Platt: return sigmoid(a * logit + b);
    case CalibrationMethod::Isotonic: {
        if (x.empty())
            return sigmoid(logit);
        if (logit <= x.front())
            return y.front();
        if (logit >= x.back())
            return y.back();
        const size_t k = size_t(std::upper_bound(x.begin(), x.end(), logit) - x.begin());
        const double t = (logit - x[k - 1]) / (x[k] - x[k - 1]);
        return y[k - 1] + t * (y[k] - y[k - 1]);
    }
    }
    return sigmoid(logit);
}

std::vector<double> Calibrator::probabilities(const std::vector<double> &logits) const
{
    std::vector<double> out;
    out.reserve(logits.size());
    for (double z : logits)
        out.push_back(probability(z));
    return out;
}

Calibrator fitCalibrator(CalibrationMethod method, const std::vector<double> &logits,
                         const std::vector<int> &labels)
{
    if (logits.size() != labels.size())
        throwData("calibration: " + std::to_string(logits.size()) + " scores but " +
                  std::to_string(labels.size()) + " labels");
    const auto bads = std::count(labels.begin(), labels.end(), 1);
    if (method != CalibrationMethod::None && (bads == 0 || bads == int64_t(labels.size())))
        throwData("calibration needs both classes in the validation split, got " +
                  std::to_string(bads) + " bad of " + std::to_string(labels.size()));
    for (double z : logits)
        if (!std::isfinite(z))
            throwData("calibration: a score is not finite");
    Calibrator c;
    if (method == CalibrationMethod::Platt)
        c = fitPlatt(logits, labels);
    else if (method == CalibrationMethod::Isotonic)
        c = fitIsotonic(logits, labels);
    c.fittedOn = int64_t(logits.size());
    return c;
}

CalibrationMethod parseCalibrationMethod(const std::string &name)
{
    for (auto m : {CalibrationMethod::None, CalibrationMethod::Platt, CalibrationMethod::Isotonic})
        if (name == toString(m))
            return m;
    throwData("unknown calibration method \"" + name + "\" (expected none, platt or isotonic)");
}

} // namespace seqlens
