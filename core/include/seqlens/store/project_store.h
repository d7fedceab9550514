// SPDX-License-Identifier: GPL-3.0-or-later
// The project file: one SQLite database that remembers what was trained on what. It holds
// datasets (paths, sizes, fingerprints), resolved configs, runs (config, seed, threads,
// versions, times, status), per-epoch history, metrics with intervals, curves and tables
// (JSON artifacts), per-applicant scores and an audit log.
//
// The schema is versioned (PRAGMA user_version) and migrated forward on open; a file written
// by a newer schema is refused without being touched. WAL journal; every write is one
// transaction; values are always bound to prepared statements.
//
// A run whose process died (SIGKILL, power loss) stays 'running' in the file; the next open
// finds its process gone (pid and process start time) and marks it 'interrupted'.
#pragma once

#include <cmath>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace seqlens {

int projectSchemaVersion();

enum class RunStatus { Running, Finished, Failed, Cancelled, Interrupted };
const char *toString(RunStatus status);

struct RunInfo {
    int64_t id = 0;
    std::string kind; // "train" or "compare"
    RunStatus status = RunStatus::Running;
    std::string configJson; // the resolved config
    uint64_t seed = 0;
    int64_t threads = 0;
    std::string seqlensVersion, torchVersion;
    std::string startedAt, finishedAt; // UTC ISO 8601; finishedAt empty while running
    std::string message;               // error or cancellation message
    std::string outputPath;            // bundle or compare directory
    std::string osUser, host;
    int64_t pid = 0;
    std::string pidStart;
};

struct DatasetInfo {
    int64_t id = 0;
    std::string role; // "events" or "labels"
    std::string path;
    int64_t sizeBytes = 0;
    std::string fingerprint;
    int64_t rows = 0;
    std::string recordedAt;
};

struct EpochRow {
    std::string model; // "sequence", "fold 2/5", ...
    int64_t epoch = 0;
    double trainLoss = std::nan(""), validLoss = std::nan(""), validAuc = std::nan(""),
           seconds = std::nan("");
};

struct MetricRow {
    std::string split, model, name; // e.g. "test", "stacking", "auc"
    double value = std::nan(""), lo = std::nan(""), hi = std::nan("");
};

struct ScoreRow {
    std::string model, entity, split;
    int label = -1;
    double score = 0;
};

// One monitored batch of a run (monitor/monitor_workflow.h): where it came from, its overall
// status and the whole result as JSON.
struct MonitoringRecord {
    int64_t id = 0, run = 0;
    std::string name, createdAt; // createdAt: UTC ISO 8601, filled when added
    std::string eventsPath, labelsPath, eventsFingerprint;
    int64_t applicants = 0;
    std::string cohortBy;
    std::string status; // green, amber or red
    std::string json;
};

struct AuditEntry {
    int64_t id = 0;
    std::string at, user, action, object, detail;
};

class ProjectStore {
public:
    // Opens `path`, creating it when missing, and migrates it to the current schema. Throws a
    // Data error naming the file when it is not a SeqLens project, was written by a newer
    // schema, or cannot be opened for writing. Runs left 'running' by a dead process become
    // 'interrupted'.
    explicit ProjectStore(const std::string &path);
    ~ProjectStore();
    ProjectStore(const ProjectStore &) = delete;
    ProjectStore &operator=(const ProjectStore &) = delete;

    // The schema version of a file, read without changing it (0 when missing or empty).
    static int schemaVersionOf(const std::string &path);
    // Creates a file at an older schema version (to test migrations from it).
    static void createAtVersion(const std::string &path, int version);

    const std::string &path() const;
    int64_t interruptedOnOpen() const;

    // Runs. beginRun fills id, status, versions, times, user, host and process itself.
    int64_t beginRun(RunInfo run);
    void addEpoch(int64_t run, const EpochRow &epoch);
    void finishRun(int64_t run, RunStatus status, const std::string &message = "");
    void linkDataset(int64_t run, DatasetInfo dataset);
    void addMetrics(int64_t run, const std::vector<MetricRow> &metrics);
    void putArtifact(int64_t run, const std::string &name, const std::string &json);
    void addScores(int64_t run, const std::vector<ScoreRow> &scores);
    void deleteRun(int64_t run); // with everything recorded for it; audited
    // Adds a monitoring record (fills id and createdAt) in one transaction; audited.
    int64_t addMonitoring(MonitoringRecord record);

    void audit(const std::string &action, const std::string &object,
               const std::string &detail = "");

    std::vector<RunInfo> runs() const; // newest first
    RunInfo run(int64_t id) const;     // Data error when unknown
    std::vector<DatasetInfo> datasets(int64_t run) const;
    std::vector<EpochRow> epochs(int64_t run) const;
    std::vector<MetricRow> metrics(int64_t run) const;
    std::optional<MetricRow> metric(int64_t run, const std::string &split, const std::string &model,
                                    const std::string &name) const;
    std::optional<std::string> artifact(int64_t run, const std::string &name) const;
    std::vector<ScoreRow> scores(int64_t run, const std::string &model,
                                 const std::string &split = "") const;
    std::optional<ScoreRow> score(int64_t run, const std::string &model,
                                  const std::string &entity) const;
    std::vector<AuditEntry> auditLog() const;
    std::vector<MonitoringRecord> monitorings(int64_t run) const; // oldest first
    MonitoringRecord monitoring(int64_t id) const;                // Data error when unknown

private:
    struct Impl;
    std::unique_ptr<Impl> m;
};

// The bundle directory of a run: its output path, or the "model" directory of a compare run.
std::string bundleDirOf(const RunInfo &run);

// The OS user and host name, for runs and the audit log.
std::string currentOsUser();
std::string currentHost();

} // namespace seqlens
