// SPDX-License-Identifier: GPL-3.0-or-later
// Baseline vs stacking, the way lenders prove a sequence model adds value:
//   development = the labeled train + valid applicants, test = the untouched test split.
//   baseline  = window features -> model family F, fitted on development.
//   sequence  = the sequence model trained on development (inner early-stopping split).
//   stacking  = window features + sequence logit -> family F. Development rows get
//               OUT-OF-FOLD sequence logits (K folds, one sequence model per fold, each with
//               its own encoder fitted on its training part); test rows get the mean logit of
//               the K fold models (baseline.test_scores "bagged", the default: a bag, calibrated
//               on the out-of-fold logits) or the logit of one more model trained on all of
//               development ("full_model"). No applicant is scored by a model that saw its label.
// All three are judged on the same test applicants.
// The K (or K + 1) sequence models train side by side, one per LibTorch thread (see random_stream.h:
// each draws its own reproducible random stream), so results depend on the thread count.
#pragma once

#include "seqlens/compare/baseline_models.h"
#include "seqlens/compare/metrics.h"
#include "seqlens/compare/validation_stats.h"
#include "seqlens/data/audit.h"
#include "seqlens/monitor/segments.h"
#include "seqlens/explain/explanation_audit.h"
#include "seqlens/explain/global_attention.h"
#include "seqlens/nn/model_fit.h"
#include "seqlens/nn/trainer.h"
#include "seqlens/util/cancel.h"
#include "seqlens/util/log.h"

#include <cmath>
#include <functional>
#include <optional>
#include <string>

namespace seqlens {

struct CompareRequest {
    std::string outDir; // written: compare.json, test_scores.csv, curve and table CSVs,
                        // and model/: the bundle of the sequence model(s) used on test
    ProgressFn progress; // per batch/epoch of the current sequence model
    std::function<void(int64_t step, int64_t steps, const std::string &what)>
        stepProgress; // per fold
    const CancelToken *cancel = nullptr;
    LogFn log;
    bool explainGlobally = false; // also fill CompareSummary::globalAttention
    // For tests: also report a stacking model trained on IN-SAMPLE sequence scores (leaky).
    bool alsoInSampleStacking = false;
};

struct ModelEvaluation {
    AucInterval auc;
    BootstrapInterval ks;
    double gini = 0;
    std::vector<RocPoint> roc;
    std::vector<KsPoint> ksCurve;
    std::vector<LiftRow> lift;
    Calibration calibration;
    double psi = 0; // score PSI, development vs test
};

struct CompareSummary {
    bool cancelled = false;
    int64_t nDevelopment = 0, nTest = 0, folds = 0, features = 0;
    BaselineModelKind baselineModel = BaselineModelKind::Logistic;
    ModelEvaluation baseline, sequence, stacking;
    PairedAucTest deltaAuc;    // stacking vs baseline
    BootstrapInterval deltaKs; // KS(stacking) - KS(baseline)
    SwapSet swap;              // baseline band x stacking band
    BaselineFitInfo baselineFit, stackingFit;
    double inSampleStackingAuc = std::nan(""); // only with alsoInSampleStacking
    // Per test applicant: id, label and the three models' scores (probabilities).
    std::vector<std::string> testEntities;
    std::vector<int> testLabels;
    std::vector<double> baselineScores, sequenceScores, stackingScores;
    std::optional<GlobalAttention> globalAttention; // with explainGlobally: the full sequence
                                                    // model's, over the test applicants
    std::optional<ExplanationAudit> explanationAudit; // with explainGlobally: the full model's
    AuditReport audit; // data load and profile; the encoding of the full model
    TestScoring testScores = TestScoring::Bagged;
    // The full sequence model (trained on all development applicants), or fold 1 of the bag.
    uint64_t fullModelSeed = 0;
    TrainResult fullModelTraining;
    std::vector<ModelChoice> aggregations; // item aggregation kept: full model (if any), folds
    std::optional<SegmentChecks> segments; // monitoring.segments: the stacking model on test
};

// Runs the comparison on `config` as given (apply overrides with applyOverrides first). Throws
// Config/Data errors for bad input; returns cancelled = true (and writes nothing) when
// cancelled, during loading as during training.
CompareSummary runCompare(const Config &config, const CompareRequest &request);

} // namespace seqlens
