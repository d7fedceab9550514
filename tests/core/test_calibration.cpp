// SPDX-License-Identifier: GPL-3.0-or-later
// Score calibration: Platt scaling and isotonic regression against hand-computed fits, a
// smaller Brier score than the raw sigmoid on data with known probabilities, and an exact
// round trip of the fitted map through its JSON form (what the bundle stores).
#include "seqlens/bundle.h"
#include "seqlens/compare/calibrator.h"
#include "seqlens/compare/validation_stats.h"
#include "seqlens/util/error.h"
#include "test_util.h"

#include <random>

using namespace seqlens;

namespace {
// Logits z ~ N(0, 1) whose true probability is sigmoid(slope * z + shift): the raw sigmoid(z)
// is miscalibrated unless slope = 1 and shift = 0.
struct Known {
    std::vector<double> logits, truth;
    std::vector<int> labels;
};
Known known(size_t n, double slope, double shift, uint32_t seed)
{
    std::mt19937 rng(seed);
    std::normal_distribution<double> normal;
    std::uniform_real_distribution<double> u(0, 1);
    Known k;
    for (size_t i = 0; i < n; ++i) {
        const double z = normal(rng), p = 1 / (1 + std::exp(-(slope * z + shift)));
        k.logits.push_back(z);
        k.truth.push_back(p);
        k.labels.push_back(u(rng) < p);
    }
    return k;
}
} // namespace

class TestCalibration : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void plattEqualsTheSaturatedFit()
    {
        // Two logit values: at 0, 1 bad of 4; at 1, 3 bad of 4. The two-parameter fit is
        // saturated: sigmoid(b) = 1/4 and sigmoid(a + b) = 3/4, so b = -ln 3 and a = 2 ln 3.
        const std::vector<double> x = {0, 0, 0, 0, 1, 1, 1, 1};
        const std::vector<int> y = {1, 0, 0, 0, 1, 1, 1, 0};
        const Calibrator c = fitCalibrator(CalibrationMethod::Platt, x, y);
        QVERIFY(std::fabs(c.b + std::log(3.0)) < 1e-7);
        QVERIFY(std::fabs(c.a - 2 * std::log(3.0)) < 1e-7);
        QVERIFY(std::fabs(c.probability(0) - 0.25) < 1e-8);
        QVERIFY(std::fabs(c.probability(1) - 0.75) < 1e-8);
        QCOMPARE(c.fittedOn, int64_t(8));
    }
    void plattRecoversAKnownMapAndLowersBrier()
    {
        const Known k = known(20000, 2.0, -1.0, 5);
        const Calibrator c = fitCalibrator(CalibrationMethod::Platt, k.logits, k.labels);
        // Standard errors at n = 20,000 are about 0.03; allow 4.
        QVERIFY2(std::fabs(c.a - 2.0) < 0.12, std::to_string(c.a).c_str());
        QVERIFY2(std::fabs(c.b + 1.0) < 0.12, std::to_string(c.b).c_str());
        // Judged on fresh data from the same population.
        const Known fresh = known(20000, 2.0, -1.0, 6);
        const double raw = calibration(Calibrator{}.probabilities(fresh.logits), fresh.labels).brier;
        const double cal = calibration(c.probabilities(fresh.logits), fresh.labels).brier;
        const double best = calibration(fresh.truth, fresh.labels).brier;
        qInfo("Brier: raw %.5f, Platt %.5f, true probabilities %.5f", raw, cal, best);
        QVERIFY(cal < raw - 0.005);
        QVERIFY(cal < best + 0.001);
    }
    void isotonicEqualsPoolAdjacentViolatorsByHand()
    {
        // Labels by logit 1..5: 0 1 0 1 1 -> blocks {1}: 0, {2, 3}: 0.5, {4, 5}: 1.
        const Calibrator c =
            fitCalibrator(CalibrationMethod::Isotonic, {3, 1, 5, 2, 4}, {0, 0, 1, 1, 1});
        QCOMPARE(c.x, (std::vector<double>{1, 2, 3, 4, 5}));
        QCOMPARE(c.y, (std::vector<double>{0, 0.5, 0.5, 1, 1}));
        QCOMPARE(c.probability(1.5), 0.25); // linear between block ends
        QCOMPARE(c.probability(2.5), 0.5);
        QCOMPARE(c.probability(-7), 0.0); // clamped outside the fitted range
        QCOMPARE(c.probability(9), 1.0);
        const Known k = known(20000, 0.5, 0.3, 7), fresh = known(20000, 0.5, 0.3, 8);
        const Calibrator iso = fitCalibrator(CalibrationMethod::Isotonic, k.logits, k.labels);
        for (size_t i = 1; i < iso.y.size(); ++i)
            QVERIFY(iso.y[i] >= iso.y[i - 1] && iso.x[i] > iso.x[i - 1]);
        const double raw = calibration(Calibrator{}.probabilities(fresh.logits), fresh.labels).brier;
        const double cal = calibration(iso.probabilities(fresh.logits), fresh.labels).brier;
        QVERIFY2(cal < raw - 0.005, (std::to_string(cal) + " vs " + std::to_string(raw)).c_str());
    }
    void roundTripsBitIdentically()
    {
        const Known k = known(3000, 1.7, -0.4, 9);
        for (auto m : {CalibrationMethod::Platt, CalibrationMethod::Isotonic}) {
            const Calibrator c = fitCalibrator(m, k.logits, k.labels);
            const Calibrator back =
                calibratorFromJson(nlohmann::json::parse(calibratorJson(c).dump()), "bundle.json");
            QVERIFY(back.method == c.method);
            QVERIFY(std::memcmp(&back.a, &c.a, sizeof(double)) == 0);
            QVERIFY(std::memcmp(&back.b, &c.b, sizeof(double)) == 0);
            QCOMPARE(back.x, c.x);
            QCOMPARE(back.y, c.y);
            for (double z : {-3.0, -0.2, 0.0, 0.7, 4.0})
                QCOMPARE(back.probability(z), c.probability(z));
        }
    }
    void badInputIsAClearError()
    {
        QVERIFY_THROWS_EXCEPTION(Error, fitCalibrator(CalibrationMethod::Platt, {0.1, 0.2}, {1, 1}));
        QVERIFY_THROWS_EXCEPTION(Error, fitCalibrator(CalibrationMethod::Platt, {0.1}, {1, 0}));
        auto j = calibratorJson(fitCalibrator(CalibrationMethod::Isotonic, {1, 2, 3}, {0, 1, 1}));
        j["x"] = {3, 2, 1};
        try {
            calibratorFromJson(j, "b/bundle.json");
            QFAIL("a decreasing isotonic map was accepted");
        } catch (const Error &e) {
            QVERIFY2(std::string(e.what()).find("b/bundle.json: /calibration") == 0, e.what());
        }
        j["method"] = "spline";
        QVERIFY_THROWS_EXCEPTION(Error, calibratorFromJson(j, "b/bundle.json"));
    }
};

QTEST_GUILESS_MAIN(TestCalibration)
#include "test_calibration.moc"
