// SPDX-License-Identifier: GPL-3.0-or-later
#include "encoded_fixture.h"
#include "seqlens/compare/metrics.h"
#include "seqlens/nn/model_fit.h"
#include "seqlens/nn/trainer.h"
#include "seqlens/nn/trial_race.h"
#include "test_util.h"

using namespace seqlens;
using namespace testutil;

namespace {
EncodedDataset learnable(uint32_t seed)
{
    std::vector<int64_t> lengths;
    std::mt19937 rng(seed);
    for (int i = 0; i < 1200; ++i)
        lengths.push_back(1 + int64_t(rng() % 20));
    return randomEncoded(lengths, seed);
}

// Every fifth applicant validates, the rest train.
std::vector<int64_t> rowsOf(const EncodedDataset &e, bool valid)
{
    std::vector<int64_t> out;
    for (int64_t a = 0; a < e.applicantCount(); ++a)
        if ((a % 5 == 0) == valid)
            out.push_back(a);
    return out;
}

TrainResult train(SequenceModel &m, const EncodedDataset &e, const TrainingConfig &cfg,
                  const ProgressFn &progress = {}, const CancelToken *cancel = nullptr)
{
    return trainModel(m, e, rowsOf(e, false), rowsOf(e, true), cfg, progress, cancel);
}

TrainingConfig trainingConfig(int64_t epochs, int64_t patience = 3)
{
    TrainingConfig t;
    t.epochs = epochs;
    t.batchSize = 64;
    t.learningRate = 0.01;
    t.patience = patience;
    t.seed = 3;
    return t;
}

ModelConfig transformer()
{
    ModelConfig m;
    m.itemAggregation = ItemAggregation::Transformer;
    return m;
}

double validAuc(const SequenceModel &m, const EncodedDataset &e)
{
    auto idx = rowsOf(e, true);
    std::vector<int> y;
    for (auto a : idx)
        y.push_back(e.labels[size_t(a)] > 0.5f);
    return aucScore(m.predictLogits(e, idx), y);
}
} // namespace

class TestTraining : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { setTorchThreads(2); }
    void learnsAPlantedSignalAndRestoresTheBestEpoch()
    {
        EncodedDataset e = learnable(1);
        SequenceModel m(transformer(), smallLayout(), 1);
        const double before = validAuc(m, e);
        // The signal is found in a sudden jump after a few flat epochs (epoch 8 here), so
        // patience must outlast the plateau.
        TrainResult r = train(m, e, trainingConfig(20, /*patience=*/6));
        QVERIFY(!r.cancelled);
        QVERIFY2(r.bestValidAuc > 0.9, std::to_string(r.bestValidAuc).c_str());
        QVERIFY(r.bestValidAuc > before + 0.2);
        QCOMPARE(int64_t(r.history.size()), r.epochsRun);
        QVERIFY(r.bestEpoch >= 1 && r.bestEpoch <= r.epochsRun);
        // The model in hand is the best epoch's: its validation AUC is the recorded one.
        QCOMPARE(validAuc(m, e), r.history[size_t(r.bestEpoch - 1)].validAuc);
        QCOMPARE(r.bestValidAuc, r.history[size_t(r.bestEpoch - 1)].validAuc);
        for (const auto &h : r.history)
            QVERIFY(h.validAuc <= r.bestValidAuc);
        if (r.epochsRun < 20) // stopped early: patience epochs without gain
            QCOMPARE(r.epochsRun - r.bestEpoch, int64_t(6));
    }
    void deterministicForSameSeedAndThreads()
    {
        EncodedDataset e = learnable(2);
        SequenceModel a(transformer(), smallLayout(), 5), b(transformer(), smallLayout(), 5);
        TrainResult ra = train(a, e, trainingConfig(3));
        TrainResult rb = train(b, e, trainingConfig(3));
        QCOMPARE(ra.history.size(), rb.history.size());
        for (size_t i = 0; i < ra.history.size(); ++i) {
            QCOMPARE(ra.history[i].trainLoss, rb.history[i].trainLoss);
            QCOMPARE(ra.history[i].validAuc, rb.history[i].validAuc);
        }
        auto idx = rowsOf(e, true);
        QCOMPARE(a.predict(e, idx), b.predict(e, idx));
    }
    void sameNumbersOnOneAndTwoThreads()
    {
        // Each step's micro-batches depend on the batch alone, and their gradients are summed
        // in order: the thread count changes the speed, not the model. Two-layer GRU with
        // dropout between the layers included (its masks come from the micro-batch's seed).
        EncodedDataset e = learnable(6);
        ModelConfig gru;
        gru.itemAggregation = ItemAggregation::Gru;
        gru.layers = 2;
        gru.dropout = 0.2;
        for (const ModelConfig &mc : {transformer(), gru}) {
            TrainingConfig tc = trainingConfig(2);
            tc.batchSize = 100; // four micro-batches of 25
            std::vector<std::vector<double>> predictions;
            std::vector<TrainResult> results;
            for (int threads : {1, 2}) {
                setTorchThreads(threads);
                SequenceModel m(mc, smallLayout(), 5);
                results.push_back(train(m, e, tc));
                predictions.push_back(m.predict(e, rowsOf(e, true)));
            }
            setTorchThreads(2);
            QCOMPARE(results[0].history.size(), results[1].history.size());
            for (size_t i = 0; i < results[0].history.size(); ++i) {
                QCOMPARE(results[0].history[i].trainLoss, results[1].history[i].trainLoss);
                QCOMPARE(results[0].history[i].validAuc, results[1].history[i].validAuc);
            }
            QCOMPARE(predictions[0], predictions[1]);
        }
    }
    void newOptionsAreDeterministic()
    {
        // Time bias, pooling "all", the skip head, the schedule and weight decay: same seed and
        // threads, same numbers.
        EncodedDataset e = learnable(4);
        ModelConfig mc = transformer();
        mc.timeBias = true;
        mc.pooling = Pooling::All;
        mc.head = Head::Skip;
        SequenceModel a(mc, smallLayout(), 5), b(mc, smallLayout(), 5);
        TrainingConfig tc = trainingConfig(3);
        // Pooling "all_inputs" too, with a GRU, on 1 and 2 threads.
        ModelConfig inputs = mc;
        inputs.itemAggregation = ItemAggregation::Gru;
        inputs.pooling = Pooling::AllInputs;
        std::vector<std::vector<double>> inputsScores;
        for (int threads : {1, 2}) {
            setTorchThreads(threads);
            SequenceModel m(inputs, smallLayout(), 5);
            train(m, e, tc);
            inputsScores.push_back(m.predict(e, rowsOf(e, true)));
        }
        setTorchThreads(2);
        QCOMPARE(inputsScores[0], inputsScores[1]);
        tc.lrSchedule = LrSchedule::WarmupCosine;
        tc.warmupEpochs = 0.5;
        tc.weightDecay = 0.01;
        TrainResult ra = train(a, e, tc), rb = train(b, e, tc);
        QCOMPARE(ra.history.size(), rb.history.size());
        for (size_t i = 0; i < ra.history.size(); ++i) {
            QCOMPARE(ra.history[i].trainLoss, rb.history[i].trainLoss);
            QCOMPARE(ra.history[i].validAuc, rb.history[i].validAuc);
        }
        auto idx = rowsOf(e, true);
        QCOMPARE(a.predict(e, idx), b.predict(e, idx));
        // The time bias learned something (it starts at 0): the model differs from one
        // without it trained the same way.
        ModelConfig noBias = mc;
        noBias.timeBias = false;
        SequenceModel c(noBias, smallLayout(), 5);
        train(c, e, tc);
        QVERIFY(a.predict(e, idx) != c.predict(e, idx));
    }
    void continuousTimeTellsTimesWithinABucketApart()
    {
        // The risk is when the marked event happened: 200-260 days before the cutoff is risky,
        // 300-360 days is not; both fall in the same time bucket (code 4 of the last
        // categorical input, the time before the cutoff). With buckets alone every applicant
        // looks the same; the continuous encoding sees the exact time.
        ModelLayout layout = smallLayout();
        layout.timeBeforeCutoffInput = 3;
        std::mt19937 rng(9);
        std::uniform_real_distribution<float> u(0.0f, 1.0f);
        EncodedDataset e;
        e.numCat = 4;
        e.numNum = 2;
        e.offsets = {0};
        for (int i = 0; i < 1500; ++i) {
            const bool risky = u(rng) < 0.5f;
            for (int t = 0; t < 3; ++t) {
                const bool marked = t == 1;
                e.cat.insert(e.cat.end(), {marked ? 3 : 4, 2 + int32_t(rng() % 3), 2, 4});
                e.num.insert(e.num.end(), {0.0f, 0.0f});
                e.numState.insert(e.numState.end(), {kNumPresent, kNumPresent});
                const float days = marked ? (risky ? 200.0f : 300.0f) + 60.0f * u(rng)
                                          : 190.0f + 180.0f * u(rng);
                e.days.push_back(days);
                e.rawEvent.push_back(int64_t(e.rawEvent.size()));
            }
            e.offsets.push_back(int64_t(e.rawEvent.size()));
            e.labels.push_back(u(rng) < (risky ? 0.85f : 0.15f) ? 1.0f : 0.0f);
        }
        TrainingConfig tc = trainingConfig(15, 5);
        std::vector<double> auc;
        for (TimeEncoding enc : {TimeEncoding::Buckets, TimeEncoding::Continuous}) {
            ModelConfig mc;
            mc.itemAggregation = ItemAggregation::Gru;
            mc.timeEncoding = enc;
            SequenceModel m(mc, layout, 2);
            auc.push_back(train(m, e, tc).bestValidAuc);
        }
        qInfo("best validation AUC: buckets %.4f, continuous %.4f (Bayes about 0.85)", auc[0],
              auc[1]);
        QVERIFY2(auc[0] < 0.6, std::to_string(auc[0]).c_str());
        QVERIFY2(auc[1] > 0.75, std::to_string(auc[1]).c_str());
    }
    void minEpochsOutlastsPatience()
    {
        // Patience 1 would stop at the first epoch without a gain; min_epochs holds it to 6.
        EncodedDataset e = learnable(5);
        TrainingConfig tc = trainingConfig(8, /*patience=*/1);
        tc.minEpochs = 6;
        tc.learningRate = 1e-6; // no real progress: validation AUC stalls from the start
        SequenceModel m(transformer(), smallLayout(), 1);
        TrainResult r = train(m, e, tc);
        QVERIFY2(r.epochsRun >= 6, std::to_string(r.epochsRun).c_str());
    }
    void autoKeepsTheBetterAggregationOnValidation()
    {
        EncodedDataset e = learnable(6);
        ModelConfig mc;
        mc.itemAggregation = ItemAggregation::Auto;
        const TrainingConfig tc = trainingConfig(4);
        FittedModel fit = fitSequenceModel(mc, smallLayout(), e, rowsOf(e, false), rowsOf(e, true),
                                           tc);
        QCOMPARE(fit.trials.size(), size_t(2));
        QVERIFY(fit.trials[0].aggregation == ItemAggregation::Transformer);
        QVERIFY(fit.trials[1].aggregation == ItemAggregation::Gru);
        const auto &winner = fit.trials[0].bestValidAuc >= fit.trials[1].bestValidAuc
                                 ? fit.trials[0]
                                 : fit.trials[1];
        QVERIFY(fit.config.itemAggregation == winner.aggregation);
        QCOMPARE(fit.training.bestValidAuc, winner.bestValidAuc);
        QCOMPARE(validAuc(*fit.model, e), winner.bestValidAuc); // the kept model is the winner's
        // Each trial equals training that aggregation alone with the same seed.
        for (const auto &t : fit.trials) {
            ModelConfig one = mc;
            one.itemAggregation = t.aggregation;
            SequenceModel m(one, smallLayout(), tc.seed);
            QCOMPARE(train(m, e, tc).bestValidAuc, t.bestValidAuc);
        }
        // Without validation rows there is nothing to choose on: the GRU, no trial.
        FittedModel blind = fitSequenceModel(mc, smallLayout(), e, rowsOf(e, false), {}, tc);
        QCOMPARE(blind.config.itemAggregation, ItemAggregation::Gru);
        QVERIFY(blind.trials.empty());
    }
    void raceDecidesAtItsEpochOnTheRecordsThere()
    {
        TrialRace race(2, 3);
        QVERIFY(race.report(0, 1, 0.9)); // before the race epoch: nothing counts
        QVERIFY(race.report(0, 3, 0.6)); // one record: undecided, go on
        QVERIFY(race.report(0, 4, 0.8)); // later gains do not count
        QVERIFY(!race.winner());
        QVERIFY(race.report(1, 3, 0.7)); // ahead at epoch 3: decided, it goes on
        QCOMPARE(race.winner(), std::optional<size_t>(1));
        QVERIFY(!race.report(0, 5, 0.95)); // behind: stop at the next question
        QVERIFY(race.report(1, 4, 0.7));
        TrialRace tie(2, 2);
        tie.report(1, 2, 0.7);
        QVERIFY(tie.report(0, 2, 0.7)); // ties: the lower index (the Transformer)
        QVERIFY(!tie.report(1, 3, 0.8));
        TrialRace nan(2, 1);
        nan.report(0, 1, std::nan(""));
        nan.report(1, 1, 0.1);
        QCOMPARE(nan.winner(), std::optional<size_t>(1)); // no validation AUC is behind any

        // A stopped candidate's record as of the race epoch.
        TrainResult r;
        const double aucs[] = {0.6, 0.7, 0.7, 0.65, 0.9};
        for (int64_t k = 0; k < 5; ++k)
            r.history.push_back({k + 1, 0.5, 0.5, aucs[k], 1.0});
        r.epochsRun = 5;
        r.bestEpoch = 5;
        r.bestValidAuc = 0.9;
        const TrainResult at4 = resultAfterEpoch(r, 4);
        QCOMPARE(at4.epochsRun, int64_t(4));
        QCOMPARE(at4.history.size(), size_t(4));
        QCOMPARE(at4.bestEpoch, int64_t(2)); // the first of the two 0.7s, as the trainer keeps
        QCOMPARE(at4.bestValidAuc, 0.7);
    }
    void autoStopsTheCandidateBehindAtMinEpochs()
    {
        // Training alone, each aggregation's record at the race epoch and at the end.
        EncodedDataset e = learnable(6);
        TrainingConfig tc = trainingConfig(8, /*patience=*/8);
        tc.minEpochs = 3;
        ModelConfig mc;
        std::vector<TrainResult> alone;
        for (ItemAggregation a : {ItemAggregation::Transformer, ItemAggregation::Gru}) {
            mc.itemAggregation = a;
            SequenceModel m(mc, smallLayout(), tc.seed);
            alone.push_back(train(m, e, tc));
        }
        const double at3[] = {resultAfterEpoch(alone[0], 3).bestValidAuc,
                              resultAfterEpoch(alone[1], 3).bestValidAuc};
        const size_t win = at3[1] > at3[0], lose = 1 - win;
        qInfo("best validation AUC after epoch 3: transformer %.4f, gru %.4f; at the end %.4f, "
              "%.4f",
              at3[0], at3[1], alone[0].bestValidAuc, alone[1].bestValidAuc);
        mc.itemAggregation = ItemAggregation::Auto;
        for (int threads : {2, 1}) { // side by side, and one after another: the same choice
            setTorchThreads(threads);
            FittedModel fit = fitSequenceModel(mc, smallLayout(), e, rowsOf(e, false),
                                               rowsOf(e, true), tc);
            setTorchThreads(2);
            QCOMPARE(fit.trials.size(), size_t(2));
            const AggregationTrial &w = fit.trials[win], &l = fit.trials[lose];
            QCOMPARE(fit.config.itemAggregation, w.aggregation);
            // The winner trained its course, exactly as alone; the kept model is it.
            QCOMPARE(w.stoppedAt, int64_t(0));
            QCOMPARE(w.epochsRun, alone[win].epochsRun);
            QCOMPARE(w.bestValidAuc, alone[win].bestValidAuc);
            QCOMPARE(validAuc(*fit.model, e), alone[win].bestValidAuc);
            QCOMPARE(fit.training.epochsRun, alone[win].epochsRun);
            // The other stopped there, recorded as it stood after epoch 3.
            QCOMPARE(l.stoppedAt, int64_t(3));
            QCOMPARE(l.epochsRun, int64_t(3));
            QCOMPARE(l.bestValidAuc, at3[lose]);
        }
    }
    void progressIsReportedPerBatchAndEpoch()
    {
        EncodedDataset e = learnable(3);
        SequenceModel m(transformer(), smallLayout(), 1);
        int batches = 0, epochEnds = 0;
        int64_t lastBatch = 0;
        bool ordered = true;
        train(m, e, trainingConfig(2), [&](const TrainProgress &p) {
            if (p.epochEnd) {
                ++epochEnds;
                ordered = ordered && !std::isnan(p.validAuc);
                lastBatch = 0;
                return;
            }
            ordered = ordered && p.batch == lastBatch + 1 && p.batches == 15 && p.etaSeconds >= 0;
            lastBatch = p.batch;
            ++batches;
        });
        QVERIFY(ordered);
        QCOMPARE(epochEnds, 2);
        QCOMPARE(batches, 2 * 15); // 960 train applicants / 64
    }
    void cancelStopsBetweenBatches()
    {
        EncodedDataset e = learnable(4);
        SequenceModel m(transformer(), smallLayout(), 1);
        CancelToken token;
        int calls = 0;
        TrainResult r = train(
            m, e, trainingConfig(50),
            [&](const TrainProgress &p) {
                ++calls;
                if (p.batch == 3)
                    token.cancel();
            },
            &token);
        QVERIFY(r.cancelled);
        QCOMPARE(calls, 3);
        QCOMPARE(r.epochsRun, int64_t(0));
    }
    void oneClassIsAClearError()
    {
        EncodedDataset e = learnable(5);
        for (auto &l : e.labels)
            l = 0.0f;
        SequenceModel m(transformer(), smallLayout(), 1);
        EXPECT_ERROR(train(m, e, trainingConfig(1)), ErrorKind::Data,
                     "the train split has 0 bad and 960 good applicants");
    }
};

QTEST_GUILESS_MAIN(TestTraining)
#include "test_training.moc"
