// SPDX-License-Identifier: GPL-3.0-or-later
// Monitoring after go-live: a new batch of applicants, scored with a run's own model and
// encoder, against the run's development population.
//
// Reference populations (never the batch: every bin is fixed on the reference):
//  - inputs (window features, model inputs, sequence shape): the run's development applicants
//    (its data without the test split), reloaded from the files the run was trained on;
//  - the score: the run's test split as recorded in the project, scored out of sample by the
//    same model (development scores would be in-sample and look narrower than any new batch).
// Cohorts: the month (or quarter) of each applicant's cutoff, or the values of a label-table
// column. Performance is judged once labels arrive: AUC/KS/Gini with DeLong intervals, the AUC
// drop against the run's test AUC, calibration in the large by the Jeffreys test.
#pragma once

#include "seqlens/bundle.h"
#include "seqlens/compare/validation_stats.h"
#include "seqlens/data/dataset.h"
#include "seqlens/monitor/backtest.h"
#include "seqlens/monitor/segments.h"
#include "seqlens/monitor/stability.h"
#include "seqlens/util/cancel.h"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace seqlens {

// Changes to the run's own monitoring.thresholds (config.h) for one batch; unset = the run's.
struct ThresholdOverrides {
    std::optional<int64_t> bins;
    std::optional<double> psiAmber, psiRed, alphaRed, alphaAmber, adverseImpact;
};
MonitorThresholds applyOverrides(MonitorThresholds thresholds, const ThresholdOverrides &o);

struct MonitorRequest {
    EventFiles events;      // the batch's event files (one path, or name=path per source)
    std::string labelsPath; // labels optional (cutoffs, outcomes, cohorts)
    std::string by;   // "month", "quarter", "all" or a label-table column; "" = month with a cutoff
    std::string name; // the batch's name in the project ("" = the events file's name)
    ThresholdOverrides thresholds; // over the run's config's monitoring.thresholds
    int64_t threads = -1; // LibTorch threads for scoring; -1 = the run's training.threads
    std::function<void(const std::string &stage)> progress;
    const CancelToken *cancel = nullptr;
};

// The run's out-of-sample scores (its test split) with their labels.
struct ReferenceScores {
    std::vector<double> scores;
    std::vector<int> labels;
};

struct SequenceShape {
    int64_t applicants = 0;
    double meanEvents = 0, medianEvents = 0;
    double emptyShare = 0;     // applicants without events before the cutoff
    double truncatedShare = 0; // applicants with more events than sequence.max_items
    double medianGapDays = 0;  // between consecutive events of an applicant (NaN: no gaps)
};

struct Performance {
    int64_t labelled = 0, bads = 0;
    bool aucAvailable = false; // labels of both classes
    AucInterval auc;
    double ks = 0;
    AucDropTest drop; // against the run's test AUC
    Light aucLight = Light::Green;
    bool calibrationAvailable = false; // any label
    JeffreysTest calibration;          // observed vs mean predicted bad rate
    Light calibrationLight = Light::Green;
};

struct CohortResult {
    std::string cohort;
    int64_t applicants = 0;
    Stability score; // this cohort against the reference
    Light scoreLight = Light::Green;
    SequenceShape shape;
    std::string worstInput; // the input (window feature, model input or shape) with the top PSI
    double worstInputPsi = 0;
    Light inputLight = Light::Green, shapeLight = Light::Green;
    Performance performance;
};

struct MonitorCheck {
    std::string name; // "score stability", "characteristic stability", "sequence shape",
                      // "performance", "calibration"
    Light light = Light::Green;
    std::string detail; // one line: the figure behind the light
};

struct MonitorResult {
    bool cancelled = false;
    std::string name, cohortBy;
    MonitorThresholds thresholds;
    LoadReport batchLoad;
    int64_t referenceApplicants = 0, batchApplicants = 0;
    Stability score;                        // whole batch against the reference
    std::vector<Stability> characteristics; // inputs and sequence shape, highest PSI first
    SequenceShape referenceShape, batchShape;
    AucInterval referenceAuc;
    Performance performance;           // whole batch
    std::vector<CohortResult> cohorts; // in cohort order
    std::optional<SegmentChecks> segments; // the run's monitoring.segments, with a label table;
                                           // the approval cut-off fixed on the run's test scores
    std::vector<MonitorCheck> checks;
    Light status = Light::Green; // the worst check
};

// Monitors a batch with `bundle` against its development data and `reference` scores. Data
// errors name the file (the batch without the run's columns, an empty batch, a cohort column
// that does not exist); returns cancelled = true when cancelled.
MonitorResult monitorBatch(const ModelBundle &bundle, const ReferenceScores &reference,
                           const MonitorRequest &request);

// The result as the JSON of monitoring.json and of the project's monitoring record.
nlohmann::json monitorResultJson(const MonitorResult &result);
// Writes monitoring.json, characteristics.csv and cohorts.csv into `dir` (created).
void writeMonitorOutputs(const std::string &dir, const MonitorResult &result);

} // namespace seqlens
