// SPDX-License-Identifier: GPL-3.0-or-later
// Baseline vs stacking end to end: the planted order signal makes stacking beat the
// window-feature baseline; reported numbers are consistent with the written scores; a
// sequence model that memorizes its training applicants cannot inflate the stacking AUC
// because development rows get out-of-fold scores; Berka runs on the real files.
#include "seqlens/bundle.h"
#include "seqlens/compare/compare_workflow.h"
#include "seqlens/data/synth.h"
#include "seqlens/train_workflow.h"
#include "test_util.h"

#include <QFileInfo>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>

using namespace seqlens;
using nlohmann::json;

namespace {
// Test AUC points stacking must add over the baseline on this 5,000-applicant realization (seed 21,
// 3 folds). Measured +0.034 with the old shared dropout generator and +0.017 with per-model random
// streams: one seed of a small dataset moves by that much, so the floor is 0.01 and the DeLong
// test (p < 0.05) carries the claim. The 100k benchmark and the demo show larger gains (README).
constexpr double kRequiredGain = 0.01;

struct Scores {
    std::vector<int> y;
    std::vector<double> base, seq, stack;
};
Scores readScores(const std::string &path)
{
    std::ifstream in(path);
    std::string line;
    std::getline(in, line);
    Scores s;
    while (std::getline(in, line)) {
        std::stringstream ss(line);
        std::string id, f;
        std::getline(ss, id, ',');
        std::getline(ss, f, ',');
        s.y.push_back(std::stoi(f));
        std::getline(ss, f, ',');
        s.base.push_back(std::stod(f));
        std::getline(ss, f, ',');
        s.seq.push_back(std::stod(f));
        std::getline(ss, f, ',');
        s.stack.push_back(std::stod(f));
    }
    return s;
}

json readJson(const std::string &path)
{
    std::ifstream in(path);
    return json::parse(in);
}

// Rows of `raw` holding the given applicant ids, in their order.
std::vector<int64_t> rowsOf(const RawDataset &raw, const std::vector<std::string> &ids)
{
    std::map<std::string, int64_t> index;
    for (size_t a = 0; a < raw.applicants.size(); ++a)
        index[raw.applicants[a].id] = int64_t(a);
    std::vector<int64_t> rows;
    for (const auto &id : ids)
        rows.push_back(index.at(id));
    return rows;
}

// Each model of the written bundle, loaded from disk, scoring `rows` on its own encoding.
std::vector<std::vector<double>> memberLogits(const ModelBundle &b, const RawDataset &raw,
                                              const std::vector<int64_t> &rows)
{
    std::vector<std::vector<double>> out;
    for (const MemberView &m : b.members())
        out.push_back(m.model.predictLogits(m.encoder.encode(raw), rows));
    return out;
}
} // namespace

class TestCompare : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { setTorchThreads(2); }

    void stackingBeatsBaselineOnTheDemo()
    {
        QTemporaryDir dir;
        const int64_t applicants = testutil::kSanitized ? 1500 : 5000;
        SynthSummary syn = writeSynthDataset({dir.path().toStdString() + "/data", applicants, 21});
        Config cfg = loadConfig(syn.configPath);
        CompareRequest req;
        req.outDir = dir.path().toStdString() + "/out";
        cfg.baseline.folds = 3;
        cfg.training.epochs = testutil::kSanitized ? 3 : 20;
        int steps = 0;
        req.stepProgress = [&](int64_t, int64_t, const std::string &) { ++steps; };
        CompareSummary s = runCompare(cfg, req);
        QCOMPARE(steps, 4); // 3 fold models (fold 1 as two "auto" trials), bagged: no full model
        qInfo("test AUC baseline %.4f, sequence %.4f, stacking %.4f; delta %.4f (DeLong p %.2g); "
              "delta KS %.4f [%.4f, %.4f]",
              s.baseline.auc.auc, s.sequence.auc.auc, s.stacking.auc.auc, s.deltaAuc.delta,
              s.deltaAuc.pValue, s.deltaKs.value, s.deltaKs.lo, s.deltaKs.hi);
        if (!testutil::kSanitized) { // the learning claim needs the full size
            QVERIFY2(s.deltaAuc.delta >= kRequiredGain, std::to_string(s.deltaAuc.delta).c_str());
            QVERIFY(s.deltaAuc.pValue < 0.05);
        }
        QVERIFY(s.baselineFit.converged && s.stackingFit.converged);

        // compare.json and test_scores.csv agree with each other and with the metrics module.
        json j = readJson(req.outDir + "/compare.json");
        Scores sc = readScores(req.outDir + "/test_scores.csv");
        QCOMPARE(int64_t(sc.y.size()), j["n_test"].get<int64_t>());
        QCOMPARE(j["n_train"].get<int64_t>() + j["n_test"].get<int64_t>(), applicants);
        QVERIFY(std::fabs(aucScore(sc.base, sc.y) - j["test"]["baseline"]["auc"].get<double>()) <
                1e-8);
        QVERIFY(std::fabs(aucScore(sc.seq, sc.y) - j["test"]["sequence"]["auc"].get<double>()) <
                1e-8);
        QVERIFY(std::fabs(aucScore(sc.stack, sc.y) - j["test"]["stacking"]["auc"].get<double>()) <
                1e-8);
        QVERIFY(std::fabs(binaryMetrics(sc.stack, sc.y).ks -
                          j["test"]["stacking"]["ks"].get<double>()) < 1e-8);
        const auto ci = j["test"]["stacking"]["auc_ci"];
        QVERIFY(ci[0].get<double>() < j["test"]["stacking"]["auc"].get<double>() &&
                j["test"]["stacking"]["auc"].get<double>() < ci[1].get<double>());
        QVERIFY(std::fabs(j["test"]["delta_auc"]["value"].get<double>() -
                          (aucScore(sc.stack, sc.y) - aucScore(sc.base, sc.y))) < 1e-8);
        for (const char *f : {"roc_baseline.csv", "ks_sequence.csv", "lift_stacking.csv",
                              "calibration_stacking.csv", "swap_set.csv"})
            QVERIFY2(QFileInfo::exists(QString::fromStdString(req.outDir + "/" + f)), f);
        int64_t swapTotal = 0;
        for (const auto &row : j["test"]["swap_set"]["counts"])
            for (const auto &v : row)
                swapTotal += v.get<int64_t>();
        QCOMPARE(swapTotal, j["n_test"].get<int64_t>());

        // Bagged test scores: the calibrated mean of the three fold models' logits, each fold
        // model loaded from the bundle on its own encoder.
        QCOMPARE(j["test_scores"].get<std::string>(), std::string("bagged"));
        const ModelBundle b = loadBundle(req.outDir + "/model");
        QCOMPARE(b.members().size(), size_t(3));
        QCOMPARE(readJson(req.outDir + "/model/manifest.json")["format_version"].get<int>(), 2);
        const RawDataset raw = loadDataset(cfg);
        const auto logits = memberLogits(b, raw, rowsOf(raw, s.testEntities));
        double spread = 0;
        for (size_t i = 0; i < sc.seq.size(); ++i) {
            const double mean = (logits[0][i] + logits[1][i] + logits[2][i]) / 3.0;
            // Up to float rounding: the rows were scored in other batches (other padding).
            QVERIFY2(std::fabs(b.calibrator.probability(mean) - sc.seq[i]) < 1e-6,
                     std::to_string(b.calibrator.probability(mean) - sc.seq[i]).c_str());
            spread = std::max(spread, std::fabs(logits[0][i] - mean));
        }
        QVERIFY(spread > 0.01); // three different models, not one copied
        QVERIFY(b.calibrator.method == CalibrationMethod::Platt);

        // "auto" chose once: fold 1 trained both candidates and kept the better best validation
        // AUC; folds 2 and 3 trained that one alone and say where it was chosen.
        const json &choices = j["item_aggregation"];
        QCOMPARE(choices.size(), size_t(3));
        const json &trials = choices[0]["trials"];
        QCOMPARE(trials.size(), size_t(2));
        const bool gruBetter = trials[1]["best_valid_auc"].get<double>() >
                               trials[0]["best_valid_auc"].get<double>();
        const std::string kept = gruBetter ? "gru" : "transformer";
        QCOMPARE(choices[0]["kept"].get<std::string>(), kept);
        // They raced: with 20 epochs the one behind after min_epochs (10) stopped there and is
        // recorded as of that epoch; the kept one ran its course (not under the sanitizers:
        // 3 epochs end before the race epoch, and both run to the end).
        const json &lost = trials[gruBetter ? 0 : 1], &won = trials[gruBetter ? 1 : 0];
        QVERIFY(won["stopped_at_epoch"].is_null());
        if (!testutil::kSanitized) {
            QCOMPARE(lost["stopped_at_epoch"].get<int64_t>(), int64_t(10));
            QCOMPARE(lost["epochs_run"].get<int64_t>(), int64_t(10));
            QVERIFY(lost["best_epoch"].get<int64_t>() <= 10);
        } else {
            QVERIFY(lost["stopped_at_epoch"].is_null());
        }
        for (size_t k = 1; k < 3; ++k) {
            QCOMPARE(choices[k]["kept"].get<std::string>(), kept);
            QCOMPARE(choices[k]["chosen_on"].get<std::string>(), std::string("fold 1/3"));
            QVERIFY(choices[k]["trials"].empty());
        }
        for (size_t k = 0; k < 3; ++k)
            QCOMPARE(std::string(toString(b.members()[k].model.config().itemAggregation)), kept);
    }

    void sameNumbersOnOneAndTwoThreads()
    {
        // Two fold models at once, each lent the other's thread when that one is done, against
        // everything on one thread: the models, and so every score, are the same.
        QTemporaryDir dir;
        SynthSummary syn = writeSynthDataset({dir.path().toStdString() + "/data", 1200, 5});
        std::vector<std::string> scores;
        for (int64_t threads : {1, 2}) {
            Config cfg = loadConfig(syn.configPath);
            cfg.baseline.folds = 3;
            cfg.training.epochs = 2;
            cfg.training.minEpochs = 1;
            cfg.training.threads = threads;
            CompareRequest req;
            req.outDir = dir.path().toStdString() + "/out" + std::to_string(threads);
            runCompare(cfg, req);
            std::ifstream in(req.outDir + "/test_scores.csv");
            scores.emplace_back(std::istreambuf_iterator<char>(in),
                                std::istreambuf_iterator<char>());
        }
        setTorchThreads(2);
        QVERIFY(scores[0].size() > 1000);
        QVERIFY(scores[0] == scores[1]);
    }

    void memorizingSequenceModelDoesNotInflateStacking()
    {
        // No validation split: no early stopping, so the model keeps memorizing for all epochs.
        // Labels depend on a static column only. Every applicant's events carry a unique token,
        // so the sequence model can memorize its training applicants but knows nothing of others.
        // One step size for all parameters (embedding_lr_scale 1): at 10 x 0.02 on its token
        // embeddings it does not memorize (in-sample stacking 0.7906 against out-of-fold
        // 0.7928), and the contrast this test needs is a model that does.
        QTemporaryDir dir;
        const std::string d = dir.path().toStdString();
        std::ofstream ev(d + "/events.csv"), lab(d + "/labels.csv");
        ev << "id,t,token,kind\n";
        lab << "id,app,bad,income\n";
        std::mt19937 rng(3);
        std::normal_distribution<double> z;
        std::uniform_real_distribution<double> u;
        for (int i = 0; i < 1500; ++i) {
            const double income = z(rng);
            const int bad = u(rng) < 1 / (1 + std::exp(1.0 + 1.2 * income));
            lab << "P" << i << ",2021-01-01," << bad << "," << income << "\n";
            for (int e = 0; e < 4; ++e)
                ev << "P" << i << ",2020-0" << (e + 1) << "-1" << e << ",T" << i << ",k"
                   << (rng() % 3) << "\n";
        }
        ev.close();
        lab.close();
        std::ofstream(d + "/config.json") << R"({"schema_version": 1,
          "events": [{"path": "events.csv", "entity": "id", "time": "t", "time_format": "iso",
                      "fields": [{"name": "token", "type": "categorical", "max_vocab": 100000},
                                 {"name": "kind", "type": "categorical"}]}],
          "labels": {"path": "labels.csv", "entity": "id", "target": "bad", "positive": ["1"], "cutoff": "app",
                     "features": [{"name": "income", "type": "numeric"}]},
          "model": {"emb_dim": 8, "dropout": 0.0},
          "training": {"epochs": 30, "batch_size": 32, "learning_rate": 0.02, "valid_fraction": 0.0,
                       "test_fraction": 0.3, "seed": 5, "embedding_lr_scale": 1},
          "baseline": {"folds": 3, "bootstrap_reps": 200}})";
        Config cfg = loadConfig(d + "/config.json");
        CompareRequest req;
        req.alsoInSampleStacking = true;
        CompareSummary s = runCompare(cfg, req);
        qInfo("test AUC baseline %.4f, sequence %.4f, stacking (out-of-fold) %.4f, stacking "
              "(in-sample, leaky) %.4f",
              s.baseline.auc.auc, s.sequence.auc.auc, s.stacking.auc.auc, s.inSampleStackingAuc);
        QVERIFY(s.sequence.auc.auc < 0.6);                        // no real signal in the sequences
        QVERIFY(s.stacking.auc.auc <= s.baseline.auc.auc + 0.01); // not inflated
        QVERIFY(s.deltaAuc.pValue > 0.05 || s.deltaAuc.delta < 0); // no significant "gain"
        // Had in-fold scores been used, the stacker would have trusted the memorized score.
        QVERIFY2(s.inSampleStackingAuc < s.stacking.auc.auc - 0.02,
                 std::to_string(s.inSampleStackingAuc).c_str());
    }

    void cancelStopsTheComparison()
    {
        QTemporaryDir dir;
        SynthSummary syn = writeSynthDataset({dir.path().toStdString(), 600, 4});
        CancelToken token;
        CompareRequest req;
        req.outDir = dir.path().toStdString() + "/out";
        req.cancel = &token;
        int64_t lastStep = 0;
        req.stepProgress = [&](int64_t step, int64_t, const std::string &) {
            lastStep = step;
            if (step == 2)
                token.cancel();
        };
        CompareSummary s = runCompare(loadConfig(syn.configPath), req);
        QVERIFY(s.cancelled);
        QCOMPARE(lastStep, int64_t(2));
        QVERIFY(!QFileInfo::exists(QString::fromStdString(req.outDir + "/compare.json")));
    }

    void cancelDuringLoadingIsCancelledNotAnError()
    {
        // More than 64k event rows, so loading checks the token at least once.
        QTemporaryDir dir;
        SynthSummary syn = writeSynthDataset({dir.path().toStdString(), 4000, 4});
        QVERIFY(syn.events > 70000);
        const Config cfg = loadConfig(syn.configPath);
        CancelToken token;
        token.cancel();
        CompareRequest creq;
        creq.outDir = dir.path().toStdString() + "/out";
        creq.cancel = &token;
        int steps = 0;
        creq.stepProgress = [&](int64_t, int64_t, const std::string &) { ++steps; };
        QVERIFY(runCompare(cfg, creq).cancelled);
        QCOMPARE(steps, 0); // stopped while loading: no model was started
        TrainRequest treq;
        treq.outDir = dir.path().toStdString() + "/model";
        treq.cancel = &token;
        int logLines = 0;
        treq.log = [&](const std::string &) { ++logLines; };
        QVERIFY(runTraining(cfg, treq).cancelled);
        QCOMPARE(logLines, 0); // the "data: ..." lines come right after loading
        QVERIFY(auditData(cfg, &token).cancelled);
        QVERIFY(!QFileInfo::exists(QString::fromStdString(creq.outDir)));
        QVERIFY(!QFileInfo::exists(QString::fromStdString(treq.outDir)));
    }

    void xgboostFamilyRunsEndToEnd()
    {
        QTemporaryDir dir;
        SynthSummary syn = writeSynthDataset({dir.path().toStdString(), 1500, 8});
        Config cfg = loadConfig(syn.configPath);
        cfg.baseline.model = BaselineModelKind::XGBoost;
        cfg.baseline.xgboost.rounds = 60;
        cfg.baseline.bootstrapReps = 100;
        CompareRequest req;
        req.outDir = dir.path().toStdString() + "/out";
        cfg.baseline.folds = 2;
        cfg.baseline.testScores = TestScoring::FullModel; // the other way of scoring test
        cfg.training.epochs = 4;
        int steps = 0;
        req.stepProgress = [&](int64_t, int64_t, const std::string &) { ++steps; };
        CompareSummary s = runCompare(cfg, req);
        QCOMPARE(steps, 4);                // the full model (two "auto" trials) + 2 folds
        QVERIFY(s.baseline.auc.auc > 0.6); // window features carry the count signal
        json j = readJson(req.outDir + "/compare.json");
        QCOMPARE(j["baseline_model"]["family"].get<std::string>(), std::string("xgboost"));
        QCOMPARE(j["test_scores"].get<std::string>(), std::string("full_model"));
        Scores sc = readScores(req.outDir + "/test_scores.csv");
        QVERIFY(std::fabs(aucScore(sc.stack, sc.y) - s.stacking.auc.auc) < 1e-8);
        const ModelBundle b = loadBundle(req.outDir + "/model"); // one model scored test
        QVERIFY(!b.isBag());
        const RawDataset raw = loadDataset(cfg);
        const auto logits = memberLogits(b, raw, rowsOf(raw, s.testEntities));
        for (size_t i = 0; i < sc.seq.size(); ++i)
            QVERIFY(std::fabs(b.calibrator.probability(logits[0][i]) - sc.seq[i]) < 1e-6);
    }

    void berkaRunsEndToEnd()
    {
        Config cfg = loadConfig(SEQLENS_SOURCE_DIR "/configs/berka.json");
        QVERIFY2(QFileInfo::exists(QString::fromStdString(cfg.resolve(cfg.labels.path))),
                 "Berka data not found beside the checkout");
        QTemporaryDir dir;
        CompareRequest req;
        req.outDir = dir.path().toStdString();
        cfg.baseline.folds = 3;
        cfg.training.epochs = 5;
        CompareSummary s = runCompare(cfg, req);
        QCOMPARE(s.nDevelopment + s.nTest, int64_t(682));
        for (const ModelEvaluation *e : {&s.baseline, &s.sequence, &s.stacking}) {
            QVERIFY(e->auc.auc >= 0 && e->auc.auc <= 1);
            QVERIFY(e->auc.lo <= e->auc.auc && e->auc.auc <= e->auc.hi);
            QVERIFY(e->ks.value >= 0 && e->ks.value <= 1);
        }
        QVERIFY(std::fabs(s.deltaAuc.delta - (s.stacking.auc.auc - s.baseline.auc.auc)) < 1e-12);
        Scores sc = readScores(req.outDir + "/test_scores.csv");
        QCOMPARE(int64_t(sc.y.size()), s.nTest);
    }
};

QTEST_GUILESS_MAIN(TestCompare)
#include "test_compare.moc"
