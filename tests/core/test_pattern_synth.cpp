// SPDX-License-Identifier: GPL-3.0-or-later
// The pattern-family generator behind seqlens-pattern-bench: deterministic, every family loads
// through the normal pipeline, the labels follow the recorded probabilities, the pattern and its
// control carry the same window counts, and planted patterns are really in the histories.
#include "test_util.h"

#include "seqlens/data/config.h"
#include "seqlens/data/dataset.h"
#include "seqlens/data/pattern_synth.h"

#include <cmath>
#include <fstream>
#include <sstream>

using namespace seqlens;

namespace {

std::string slurp(const std::string &path)
{
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

PatternDataset make(const QTemporaryDir &dir, PatternFamily f, int64_t n, uint64_t seed,
                    const std::string &name)
{
    PatternOptions o;
    o.outDir = dir.path().toStdString() + "/" + name;
    o.family = f;
    o.applicants = n;
    o.seed = seed;
    return writePatternDataset(o);
}

// Events of applicant a whose field `f` has value `v`, as days before the cutoff.
std::vector<double> daysOf(const RawDataset &raw, int64_t a, size_t f, const std::string &v)
{
    std::vector<double> out;
    for (int64_t e = raw.offsets[size_t(a)]; e < raw.offsets[size_t(a) + 1]; ++e)
        if (raw.valueText(f, e) == v)
            out.push_back(raw.applicants[size_t(a)].cutoff - raw.times[size_t(e)]);
    return out;
}

} // namespace

class TestPatternSynth : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

private Q_SLOTS:
    void sameSeedSameFilesOtherSeedOtherFiles()
    {
        const auto a = make(m_dir, PatternFamily::Burst, 300, 3, "a");
        const auto b = make(m_dir, PatternFamily::Burst, 300, 3, "b");
        const auto c = make(m_dir, PatternFamily::Burst, 300, 4, "c");
        QVERIFY(slurp(a.eventsPath) == slurp(b.eventsPath));
        QVERIFY(slurp(a.labelsPath) == slurp(b.labelsPath));
        QVERIFY(slurp(a.eventsPath) != slurp(c.eventsPath));
        QVERIFY_THROWS_EXCEPTION(Error, parsePatternFamily("zigzag"));
        for (PatternFamily f : allPatternFamilies())
            QCOMPARE(parsePatternFamily(toString(f)), f);
    }

    // Every family loads; its bad rate matches the mean recorded probability (within 4 standard
    // errors) and sits in a plausible credit range.
    void everyFamilyLoadsAndLabelsFollowTheProbabilities()
    {
        const int64_t n = 3000;
        for (PatternFamily f : allPatternFamilies()) {
            const auto d = make(m_dir, f, n, 5, std::string("fam-") + toString(f));
            const RawDataset raw = loadDataset(loadConfig(d.configPath));
            QCOMPARE(int64_t(raw.applicants.size()), n);
            QCOMPARE(raw.report.eventsKept, d.events); // every event before its cutoff
            double meanP = 0;
            for (double p : d.trueProbability)
                meanP += p / double(n);
            const double rate = double(d.bads) / double(n);
            QVERIFY2(std::fabs(rate - meanP) < 4 * std::sqrt(meanP * (1 - meanP) / double(n)),
                     toString(f));
            QVERIFY2(rate > 0.1 && rate < 0.35, toString(f));
        }
    }

    // Order: planted and control applicants have exactly one more late payment and one more
    // inquiry than their background, so counts cannot tell them apart; only the planted ones
    // are guaranteed a late payment followed by an inquiry within 4 days.
    void orderPatternIsPlantedAndCountBalanced()
    {
        const auto d = make(m_dir, PatternFamily::Order, 4000, 6, "order");
        const RawDataset raw = loadDataset(loadConfig(d.configPath));
        double lates[2] = {0, 0}, groups[2] = {0, 0};
        for (int64_t a = 0; a < int64_t(raw.applicants.size()); ++a) {
            const int g = d.patternFeature[size_t(std::stoll(raw.applicants[size_t(a)].id.substr(1)))] > 0.5;
            const auto late = daysOf(raw, a, 0, "late_payment");
            const auto inquiry = daysOf(raw, a, 0, "inquiry");
            lates[g] += double(late.size());
            groups[g] += 1;
            if (g == 1) {
                bool found = false;
                for (double l : late)
                    for (double q : inquiry)
                        found = found || (q < l && l - q <= 4.0 + 1e-3);
                QVERIFY(found);
            }
        }
        // Mean late payments per applicant: the same in both groups (sd of the difference ~0.05).
        QVERIFY2(std::fabs(lates[1] / groups[1] - lates[0] / groups[0]) < 0.2,
                 (std::to_string(lates[1] / groups[1]) + " vs " + std::to_string(lates[0] / groups[0])).c_str());
    }

    // Long range: two account reviews 380-720 days back; the older one's channel is the pattern.
    void longRangeOlderReviewDecides()
    {
        const auto d = make(m_dir, PatternFamily::LongRange, 500, 7, "long");
        const RawDataset raw = loadDataset(loadConfig(d.configPath));
        for (int64_t a = 0; a < int64_t(raw.applicants.size()); ++a) {
            const bool planted =
                d.patternFeature[size_t(std::stoll(raw.applicants[size_t(a)].id.substr(1)))] > 0.5;
            std::string oldest;
            double oldestDays = -1;
            for (int64_t e = raw.offsets[size_t(a)]; e < raw.offsets[size_t(a) + 1]; ++e)
                if (raw.valueText(0, e) == "account_review") {
                    const double days = raw.applicants[size_t(a)].cutoff - raw.times[size_t(e)];
                    QVERIFY(days > 379.9 && days < 720.1);
                    if (days > oldestDays) {
                        oldestDays = days;
                        oldest = raw.valueText(1, e);
                    }
                }
            QCOMPARE(oldest, std::string(planted ? "branch" : "broker"));
        }
    }
};

QTEST_GUILESS_MAIN(TestPatternSynth)
#include "test_pattern_synth.moc"
