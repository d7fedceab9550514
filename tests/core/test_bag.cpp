// SPDX-License-Identifier: GPL-3.0-or-later
// A bag bundle (compare's bagged test scores): fold models of different aggregations, each with
// its own encoder, saved and loaded; it scores with the calibrated mean of its models' logits
// and explains as the mean of its models' explanations (attributions still complete, attention
// rows still sum to 1); a missing or unlisted fold file is named.
#include "seqlens/bundle.h"
#include "seqlens/data/synth.h"
#include "seqlens/explain/explain_workflow.h"
#include "seqlens/explain/explorer.h"
#include "seqlens/score_workflow.h"
#include "test_util.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <numeric>

using namespace seqlens;

namespace {

// A model with freshly initialised weights on an encoder fitted on every other applicant
// (starting at `first`), as a fold model has its own encoder.
ModelBundle foldModel(const Config &cfg, const RawDataset &raw, int first, ItemAggregation agg,
                      uint64_t seed)
{
    std::vector<int64_t> rows;
    for (size_t a = size_t(first); a < raw.applicants.size(); a += 2)
        rows.push_back(int64_t(a));
    ModelBundle b;
    b.config = cfg;
    b.config.model.itemAggregation = agg;
    b.encoder = Encoder::fit(raw, cfg, rows);
    b.model = std::make_unique<SequenceModel>(b.config.model, layoutOf(b.encoder), seed);
    b.referenceEmbedding = b.model->meanInputEmbedding(b.encoder.encode(raw), rows);
    return b;
}

double sumOf(const std::vector<double> &v)
{
    return std::accumulate(v.begin(), v.end(), 0.0);
}

} // namespace

class TestBag : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    SynthSummary m_synth;
    Config m_cfg;
    RawDataset m_raw;
    std::string m_bagDir;
    std::vector<double> m_meanLogits;                 // all applicants, before saving
    std::vector<std::vector<ApplicantExplanation>> m_single; // [model][sampled applicant]
    std::vector<int64_t> m_sample;

private Q_SLOTS:
    void initTestCase()
    {
        setTorchThreads(2);
        m_synth = writeSynthDataset({m_dir.path().toStdString() + "/data", 300, 5});
        m_cfg = loadConfig(m_synth.configPath);
        m_raw = loadDataset(m_cfg);
        ModelBundle one = foldModel(m_cfg, m_raw, 0, ItemAggregation::Transformer, 11);
        ModelBundle two = foldModel(m_cfg, m_raw, 1, ItemAggregation::Gru, 12);
        const auto rows = allRows(m_raw);
        const auto l1 = one.model->predictLogits(one.encoder.encode(m_raw), rows);
        const auto l2 = two.model->predictLogits(two.encoder.encode(m_raw), rows);
        for (size_t i = 0; i < rows.size(); ++i)
            m_meanLogits.push_back((l1[i] + l2[i]) / 2.0);
        for (int64_t a = 0; a < int64_t(rows.size()) && m_sample.size() < 6; a += 7)
            if (m_raw.eventCount(a) >= 3)
                m_sample.push_back(a);
        for (const ModelBundle *b : {&one, &two}) {
            m_single.emplace_back();
            const EncodedDataset enc = b->encoder.encode(m_raw);
            for (int64_t a : m_sample)
                m_single.back().push_back(explainApplicant(*b, m_raw, enc, a));
        }
        one.calibrator.method = CalibrationMethod::Platt; // a map that changes scores
        one.calibrator.a = 1.3;
        one.calibrator.b = -0.2;
        one.otherFolds.push_back(
            {std::move(two.encoder), std::move(two.model), std::move(two.referenceEmbedding)});
        m_bagDir = m_dir.path().toStdString() + "/bag";
        saveBundle(m_bagDir, one);
    }

    void bagScoresWithTheMeanOfItsModelsLogits()
    {
        const ModelBundle b = loadBundle(m_bagDir);
        QVERIFY(b.isBag());
        QCOMPARE(b.members()[1].model.config().itemAggregation, ItemAggregation::Gru);
        const auto scored = scoreWithBundle(b, m_synth.eventsPath, m_synth.labelsPath);
        QCOMPARE(scored.size(), m_meanLogits.size());
        for (size_t i = 0; i < scored.size(); ++i)
            QVERIFY(std::fabs(scored[i].score - 1 / (1 + std::exp(-(1.3 * m_meanLogits[i] - 0.2)))) <
                    1e-12);
        std::ifstream manifest(m_bagDir + "/manifest.json");
        QCOMPARE(nlohmann::json::parse(manifest)["format_version"].get<int>(), 2);
    }

    void bagExplainsAsTheMeanOfItsModels()
    {
        const ModelBundle b = loadBundle(m_bagDir);
        const EncodedDataset enc = b.encoder.encode(m_raw);
        for (size_t s = 0; s < m_sample.size(); ++s) {
            const ApplicantExplanation x = explainApplicant(b, m_raw, enc, m_sample[s]);
            const ApplicantExplanation &p = m_single[0][s], &q = m_single[1][s];
            QVERIFY(std::fabs(x.logit - m_meanLogits[size_t(m_sample[s])]) < 1e-6);
            QVERIFY(std::fabs(x.logit - (p.logit + q.logit) / 2) < 1e-9);
            QCOMPARE(x.score, b.calibrator.probability(x.logit));
            QCOMPARE(x.events.size(), p.events.size());
            double items = 0, attributed = 0;
            for (size_t t = 0; t < x.events.size(); ++t) {
                const ExplainedEvent &e = x.events[t];
                items += e.itemWeight;
                QVERIFY(std::fabs(sumOf(e.fieldWeights) - 1) < 1e-5);
                QVERIFY(std::fabs(e.occlusionDelta -
                                  (p.events[t].occlusionDelta + q.events[t].occlusionDelta) / 2) <
                        1e-9);
                for (size_t f = 0; f < e.attribution.size(); ++f)
                    QVERIFY(std::fabs(e.attribution[f] - (p.events[t].attribution[f] +
                                                          q.events[t].attribution[f]) / 2) < 1e-9);
                attributed += sumOf(e.attribution);
            }
            QVERIFY(std::fabs(items - 1) < 1e-5);
            // Completeness of the mean: attributions add up to logit - reference logit.
            const double gap = attributed + x.attribution.lengthTerm -
                               (x.logit - x.attribution.referenceLogit);
            QVERIFY(std::fabs(gap - x.attribution.completenessGap) < 1e-6);
            QVERIFY2(std::fabs(gap) < 0.02, std::to_string(gap).c_str());
        }
    }

    void inspectorScoresAndExplainsTheBag()
    {
        const auto explorer =
            ApplicantExplorer::open(m_bagDir, m_synth.eventsPath, m_synth.labelsPath);
        QCOMPARE(explorer->count(), int64_t(m_meanLogits.size()));
        for (int64_t a = 0; a < explorer->count(); ++a)
            QVERIFY(std::fabs(explorer->score(a) -
                              1 / (1 + std::exp(-(1.3 * m_meanLogits[size_t(a)] - 0.2)))) < 1e-12);
        const ApplicantExplanation x = explorer->explain(m_sample[0]);
        QVERIFY(std::fabs(x.logit - (m_single[0][0].logit + m_single[1][0].logit) / 2) < 1e-9);
    }

    void missingOrUnlistedFoldFileIsNamed()
    {
        const std::string missing = m_dir.path().toStdString() + "/missing";
        std::filesystem::copy(m_bagDir, missing);
        std::filesystem::remove(missing + "/weights_fold_2.pt");
        EXPECT_ERROR(loadBundle(missing), ErrorKind::Data,
                     "weights_fold_2.pt: cannot open: missing bundle file");
        // A bag naming a file the manifest does not list (re-checksummed, so only that is wrong).
        const std::string unlisted = m_dir.path().toStdString() + "/unlisted";
        std::filesystem::copy(m_bagDir, unlisted);
        std::ifstream in(unlisted + "/bundle.json");
        nlohmann::json j = nlohmann::json::parse(in);
        in.close();
        j["bag"]["other_folds"][0]["weights"] = "../elsewhere.pt";
        std::ofstream(unlisted + "/bundle.json") << j.dump(2);
        std::ifstream min(unlisted + "/manifest.json");
        nlohmann::json m = nlohmann::json::parse(min);
        min.close();
        int64_t size = 0;
        const uint32_t crc = fileCrc32(unlisted + "/bundle.json", &size);
        m["files"]["bundle.json"] = {{"bytes", size}, {"crc32", crc}};
        std::ofstream(unlisted + "/manifest.json") << m.dump(2);
        EXPECT_ERROR(loadBundle(unlisted), ErrorKind::Data,
                     "/bag/other_folds/0/weights: \"../elsewhere.pt\" is not a file of the manifest");
    }
};

QTEST_GUILESS_MAIN(TestBag)
#include "test_bag.moc"
