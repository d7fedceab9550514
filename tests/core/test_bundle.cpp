// SPDX-License-Identifier: GPL-3.0-or-later
#include "seqlens/bundle.h"
#include "seqlens/data/synth.h"
#include "seqlens/explain/global_attention.h"
#include "seqlens/util/text_util.h"
#include "seqlens/nn/trainer.h"
#include "seqlens/score_workflow.h"
#include "test_util.h"

#include <filesystem>
#include <numeric>

using namespace seqlens;

class TestBundle : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    SynthSummary m_synth;
    std::string m_bundleDir;
    std::vector<double> m_inMemory; // scores of all applicants by the model before saving
    std::vector<std::string> m_ids;

    std::string copyBundle(const std::string &name)
    {
        std::string dst = m_dir.path().toStdString() + "/" + name;
        std::filesystem::copy(m_bundleDir, dst, std::filesystem::copy_options::recursive);
        return dst;
    }

private Q_SLOTS:
    void initTestCase()
    {
        setTorchThreads(2);
        m_synth = writeSynthDataset({m_dir.path().toStdString() + "/data", 600, 3});
        Config cfg = loadConfig(m_synth.configPath);
        cfg.training.epochs = 2;
        cfg.model.itemAggregation = ItemAggregation::Transformer; // a model is built directly
        // The bundle holds a time_since_same input too: its encoder entry and the periodic
        // embedding it gets under the default linear numeric encoding; and the change_since_same
        // inputs of the same field (linear, as numeric_encoding says).
        for (const auto &f : eventFields(cfg))
            if (f.field.type == FieldType::Categorical && cfg.sequence.timeSinceSame.empty())
                cfg.sequence.timeSinceSame = {f.name};
        cfg.sequence.changeSinceSame = cfg.sequence.timeSinceSame;
        QCOMPARE(cfg.model.numericEncoding, NumericEmbedding::Linear);
        RawDataset raw = loadDataset(cfg);
        const auto splits = assignSplits(raw, cfg.training.validFraction,
                                         cfg.training.testFraction, cfg.training.seed);
        const auto train = rowsIn(raw, splits, Split::Train);
        ModelBundle b;
        b.config = cfg;
        b.encoder = Encoder::fit(raw, cfg, train);
        EncodedDataset enc = b.encoder.encode(raw);
        b.model = std::make_unique<SequenceModel>(cfg.model, layoutOf(b.encoder),
                                                  cfg.training.seed);
        const auto valid = rowsIn(raw, splits, Split::Valid);
        trainModel(*b.model, enc, train, valid, cfg.training);
        std::vector<int> validLabels;
        for (int64_t a : valid)
            validLabels.push_back(enc.labels[size_t(a)] > 0.5f);
        b.calibrator = fitCalibrator(CalibrationMethod::Platt, b.model->predictLogits(enc, valid),
                                     validLabels);
        QVERIFY(b.calibrator.a != 1.0 && b.calibrator.b != 0.0); // a map that changes scores
        std::vector<int64_t> all(size_t(enc.applicantCount()));
        std::iota(all.begin(), all.end(), int64_t(0));
        m_inMemory = b.predict(raw, enc, all);
        QVERIFY(m_inMemory != b.model->predict(enc, all));
        for (const auto &a : raw.applicants)
            m_ids.push_back(a.id);
        m_bundleDir = m_dir.path().toStdString() + "/model";
        saveBundle(m_bundleDir, b);
    }
    void loadedBundleScoresBitIdentically()
    {
        ModelBundle b = loadBundle(m_bundleDir);
        const std::string same = b.config.sequence.timeSinceSame.at(0);
        const auto &nums = b.encoder.numeric();
        const auto gap = std::find_if(nums.begin(), nums.end(),
                                      [](const auto &n) { return n.isTimeSinceSame(); });
        QVERIFY(gap != nums.end() && gap->name == "time_since_same_" + same);
        QVERIFY(!nums.back().changeOf.empty() && nums.back().sameAs == same);
        QCOMPARE(nums.back().name, nums.back().changeOf + "_change_since_same_" + same);
        const ModelLayout layout = layoutOf(b.encoder);
        QCOMPARE(layout.periodicNumeric.size(), nums.size());
        for (size_t k = 0; k < nums.size(); ++k)
            QCOMPARE(layout.periodicNumeric[k], uint8_t(nums[k].isTimeSinceSame() ? 1 : 0));
        auto scored = scoreWithBundle(b, m_synth.eventsPath, m_synth.labelsPath);
        QCOMPARE(scored.size(), m_inMemory.size());
        for (size_t i = 0; i < scored.size(); ++i) {
            QCOMPARE(scored[i].id, m_ids[i]);
            QCOMPARE(scored[i].score, m_inMemory[i]); // exact equality: same encoder, same weights
        }                                             // and the same calibrator
    }
    void globalAttentionBandsEventsAsTheEncoderBucketsThem()
    {
        ModelBundle b = loadBundle(m_bundleDir);
        LoadOptions opt = scoringLoadOptions(m_synth.eventsPath, m_synth.labelsPath);
        const RawDataset raw = loadDataset(b.config, opt);
        const EncodedDataset enc = b.encoder.encode(raw);
        const auto &edges = b.config.sequence.timeBucketsDays;
        const GlobalAttention g =
            globalAttention(*b.model, b.encoder, raw, enc, allRows(raw), edges);
        QCOMPARE(g.bands.front(), "\u2264 " + formatNumber(edges.front()) + " d");
        QCOMPARE(g.bands.size(), edges.size() + 1);
        // Count the events per time-before-cutoff code the model saw; the bands must match.
        const size_t input = size_t(enc.numCat) - 1; // time_before_cutoff: the last categorical
        QCOMPARE(b.encoder.inputNames()[input], std::string("time_before_cutoff"));
        std::vector<int64_t> perCode(g.bands.size(), 0);
        for (int64_t a = 0; a < enc.applicantCount(); ++a)
            for (int64_t t = enc.offsets[size_t(a)]; t < enc.offsets[size_t(a) + 1]; ++t)
                ++perCode[size_t(enc.cat[size_t(t * enc.numCat) + input] - kFirstBucketCode)];
        QCOMPARE(g.bandEvents, perCode);
        // A gap of exactly an edge belongs to the band that ends at it, as in the encoder.
        QCOMPARE(bucketIndex(edges, edges[2]), size_t(2));
        QCOMPARE(b.encoder.bucketCode(edges[2]), kFirstBucketCode + 2);
    }
    void flippedByteIsDetected()
    {
        std::string dir = copyBundle("flipped");
        std::string w = dir + "/weights.pt";
        std::fstream f(w, std::ios::in | std::ios::out | std::ios::binary);
        f.seekg(200);
        char c;
        f.read(&c, 1);
        c = char(c ^ 0x5a);
        f.seekp(200);
        f.write(&c, 1);
        f.close();
        EXPECT_ERROR(loadBundle(dir), ErrorKind::Data,
                     "weights.pt: corrupted: CRC-32 does not match the manifest");
    }
    void truncatedFileIsDetected()
    {
        std::string dir = copyBundle("truncated");
        std::filesystem::resize_file(dir + "/bundle.json", 100);
        EXPECT_ERROR(loadBundle(dir), ErrorKind::Data,
                     "bundle.json: truncated or changed: 100 bytes");
    }
    void missingPartsAreNamed()
    {
        std::string dir = copyBundle("nomanifest");
        std::filesystem::remove(dir + "/manifest.json");
        EXPECT_ERROR(loadBundle(dir), ErrorKind::Data, "manifest.json: cannot open");
        EXPECT_ERROR(loadBundle(m_dir.path().toStdString() + "/nothing"), ErrorKind::Data,
                     "not a model bundle directory");
    }
    void garbageManifestIsNamed()
    {
        std::string dir = copyBundle("garbage");
        testutil::writeFile(m_dir, "garbage/manifest.json", "{not json");
        EXPECT_ERROR(loadBundle(dir), ErrorKind::Data, "manifest.json: not valid JSON");
    }
};

QTEST_GUILESS_MAIN(TestBundle)
#include "test_bundle.moc"
