// SPDX-License-Identifier: GPL-3.0-or-later
// Typed results to JSON, in one place: what a bundle, the project store, the CLI and compare.json
// write. The workflows return structs; only the edges (files, the store, stdout) turn them
// into JSON through these functions.
#pragma once

#include "seqlens/compare/compare_workflow.h"
#include "seqlens/data/audit.h"
#include "seqlens/explain/explain_workflow.h"
#include "seqlens/explain/explanation_audit.h"
#include "seqlens/explain/global_attention.h"
#include "seqlens/train_workflow.h"

#include <nlohmann/json.hpp>

namespace seqlens {

// Load counts and fingerprints; with a profile also the events per applicant and per-field
// missing counts.
nlohmann::json loadReportJson(const LoadReport &load, const DataProfile *profile = nullptr);
// Truncation, unseen categories and missing values of an encoding.
nlohmann::json encodeReportJson(const EncodeReport &report);
// {"load": ..., "encode": ..., "splits": ...}: the data report stored with a bundle and a
// recorded run, and what `seqlens-cli audit` writes.
nlohmann::json dataReportJson(const AuditReport &audit);

// A bundle's per-epoch history: [{"epoch", "train_loss", "valid_loss", "valid_auc", "seconds"}].
nlohmann::json trainingHistoryJson(const std::vector<EpochRecord> &history);
// A bundle's metadata: versions, git revision, creation time, seed, threads, parameters, training
// seconds and data fingerprints; `extra` (an object) is merged in.
nlohmann::json bundleMetadataJson(uint64_t seed, int64_t threads, int64_t parameters,
                                  double trainSeconds, const LoadReport &load,
                                  const nlohmann::json &extra = nlohmann::json::object());

// metrics.json of a trained bundle: valid and test metrics, best epoch, time and throughput.
nlohmann::json trainMetricsJson(const TrainSummary &summary);
// compare.json.
nlohmann::json compareJson(const CompareSummary &summary);
// metrics.json of a comparison's full sequence model.
nlohmann::json compareModelMetricsJson(const CompareSummary &summary);
// ROC and KS curves as stored with a run: {"roc": [[threshold|null, fpr, tpr]], "ks": [...]}.
nlohmann::json curvesJson(const std::vector<RocPoint> &roc, const std::vector<KsPoint> &ks);

nlohmann::json globalAttentionJson(const GlobalAttention &g);
// One applicant's explanation (`seqlens-cli explain`): attention always; "attribution",
// "occlusion" and "reasons" when computed.
nlohmann::json explanationJson(const ApplicantExplanation &e);
// Reasons as written to scores.csv and explain's JSON: [{"code", "text", "logit", ...}].
nlohmann::json reasonsJson(const std::vector<Reason> &reasons);
// `explain --what-if`: {"edits": [...], "before": explanation, "after": explanation, "change"}.
nlohmann::json whatIfJson(const WhatIf &w);
nlohmann::json faithfulnessJson(const Faithfulness &f);
nlohmann::json globalAttributionJson(const GlobalAttribution &g);
nlohmann::json surrogateJson(const Surrogate &s);
// {"faithfulness", "global_attribution", "surrogate"}: stored with a run.
nlohmann::json explanationAuditJson(const ExplanationAudit &a);

} // namespace seqlens
