// SPDX-License-Identifier: GPL-3.0-or-later
// The Integrated Gradients integrator used by every attribution equals the closed form where
// one exists (linear and quadratic functions), has the trapezoid rule's known error on a cubic,
// and converges (completeness) on a non-linear network as the steps grow.
#include "ig_check.h"
#include "test_util.h"

class TestIntegratedGradients : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void linearModelEqualsClosedForm()
    {
        for (int64_t steps : {1, 7, 32})
            QVERIFY2(igcheck::linearMaxError(11, steps) < 1e-12,
                     std::to_string(igcheck::linearMaxError(11, steps)).c_str());
    }
    void quadraticModelIsExactWithTheTrapezoidRule()
    {
        for (int64_t steps : {1, 32})
            QVERIFY2(igcheck::quadraticMaxError(12, steps) < 1e-12,
                     std::to_string(igcheck::quadraticMaxError(12, steps)).c_str());
    }
    void cubicHasTheTrapezoidError()
    {
        // Trapezoid rule on g(a) = 3 a^2 over [0, 1]: error h^2 / 12 * (g'(1) - g'(0)) = 1/(2S^2).
        for (int64_t steps : {1, 4, 32}) {
            const double expected = 1.0 / (2.0 * double(steps * steps));
            QVERIFY2(std::fabs(igcheck::cubicError(steps) - expected) < 1e-12,
                     std::to_string(igcheck::cubicError(steps)).c_str());
        }
    }
    void completenessGapShrinksWithSteps()
    {
        const double coarse = igcheck::mlpCompletenessGap(13, 8);
        const double fine = igcheck::mlpCompletenessGap(13, 32);
        QVERIFY2(fine < coarse / 8 && fine < 1e-2,
                 (std::to_string(coarse) + " " + std::to_string(fine)).c_str());
    }
};

QTEST_GUILESS_MAIN(TestIntegratedGradients)
#include "test_integrated_gradients.moc"
