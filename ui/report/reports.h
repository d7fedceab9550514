// SPDX-License-Identifier: GPL-3.0-or-later
// The reports, rendered from a project file: the model-validation report of a run and
// the one-applicant report. PDF or HTML by the file's extension; each export is audited.
// Needs a QApplication (the offscreen platform is enough).
#pragma once

#include "seqlens/store/project_store.h"

#include <string>

namespace seqlens::report {

void writeValidationReport(ProjectStore &store, int64_t run, const std::string &path);

// Explains `applicant` with the run's model (train: its bundle; compare: DIR/model) on the
// run's data files. Data error when the applicant is unknown or the model is gone.
void writeApplicantReport(ProjectStore &store, int64_t run, const std::string &applicant,
                          const std::string &path);

// The monitoring report of monitoring record `record` (seqlens-cli monitor). Data error when
// the record is unknown.
void writeMonitoringReport(ProjectStore &store, int64_t record, const std::string &path);

} // namespace seqlens::report
