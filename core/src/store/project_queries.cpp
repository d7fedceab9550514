// SPDX-License-Identifier: GPL-3.0-or-later
// Read side of the project store.
#include "project_store_impl.h"

#include "seqlens/util/error.h"

namespace seqlens {

using store::Statement;

namespace {

const char *const kRunColumns =
    "SELECT r.id, r.kind, r.status, c.json, r.seed, r.threads, r.seqlens_version, r.torch_version, "
    "r.started_at, "
    "coalesce(r.finished_at, ''), r.message, r.output_path, r.os_user, r.host, r.pid, r.pid_start "
    "FROM runs r JOIN configs c ON c.id = r.config_id ";

RunInfo readRun(const Statement &s)
{
    RunInfo r;
    r.id = s.int64(0);
    r.kind = s.text(1);
    r.status = runStatusFromText(s.text(2));
    r.configJson = s.text(3);
    r.seed = uint64_t(s.int64(4));
    r.threads = s.int64(5);
    r.seqlensVersion = s.text(6);
    r.torchVersion = s.text(7);
    r.startedAt = s.text(8);
    r.finishedAt = s.text(9);
    r.message = s.text(10);
    r.outputPath = s.text(11);
    r.osUser = s.text(12);
    r.host = s.text(13);
    r.pid = s.int64(14);
    r.pidStart = s.text(15);
    return r;
}

MetricRow readMetric(const Statement &s)
{
    return MetricRow{s.text(0), s.text(1), s.text(2), s.real(3), s.real(4), s.real(5)};
}

ScoreRow readScore(const Statement &s)
{
    return ScoreRow{s.text(0), s.text(1), s.text(2), int(s.int64(3)), s.real(4)};
}

} // namespace

std::vector<RunInfo> ProjectStore::runs() const
{
    std::lock_guard<std::mutex> lock(m->mutex);
    Statement s(m->db.handle(), (std::string(kRunColumns) + "ORDER BY r.id DESC").c_str(),
                m->db.path());
    std::vector<RunInfo> out;
    while (s.step())
        out.push_back(readRun(s));
    return out;
}

RunInfo ProjectStore::run(int64_t id) const
{
    std::lock_guard<std::mutex> lock(m->mutex);
    Statement s(m->db.handle(), (std::string(kRunColumns) + "WHERE r.id = ?1").c_str(),
                m->db.path());
    s.bind(1, id);
    if (!s.step())
        throwData(m->db.path() + ": no run " + std::to_string(id) +
                  " (seqlens-cli runs --project FILE lists them)");
    return readRun(s);
}

std::vector<DatasetInfo> ProjectStore::datasets(int64_t run) const
{
    std::lock_guard<std::mutex> lock(m->mutex);
    Statement s(m->db.handle(),
                "SELECT d.id, d.role, d.path, d.size_bytes, d.fingerprint, d.rows, d.recorded_at "
                "FROM datasets d "
                "JOIN run_datasets rd ON rd.dataset_id = d.id WHERE rd.run_id = ?1 ORDER BY d.role",
                m->db.path());
    s.bind(1, run);
    std::vector<DatasetInfo> out;
    while (s.step())
        out.push_back(DatasetInfo{s.int64(0), s.text(1), s.text(2), s.int64(3), s.text(4),
                                  s.int64(5), s.text(6)});
    return out;
}

std::vector<EpochRow> ProjectStore::epochs(int64_t run) const
{
    std::lock_guard<std::mutex> lock(m->mutex);
    Statement s(m->db.handle(),
                "SELECT model, epoch, train_loss, valid_loss, valid_auc, seconds FROM epochs WHERE "
                "run_id = ?1 ORDER BY rowid",
                m->db.path());
    s.bind(1, run);
    std::vector<EpochRow> out;
    while (s.step())
        out.push_back(EpochRow{s.text(0), s.int64(1), s.real(2), s.real(3), s.real(4), s.real(5)});
    return out;
}

std::vector<MetricRow> ProjectStore::metrics(int64_t run) const
{
    std::lock_guard<std::mutex> lock(m->mutex);
    Statement s(
        m->db.handle(),
        "SELECT split, model, name, value, lo, hi FROM metrics WHERE run_id = ?1 ORDER BY rowid",
        m->db.path());
    s.bind(1, run);
    std::vector<MetricRow> out;
    while (s.step())
        out.push_back(readMetric(s));
    return out;
}

std::optional<MetricRow> ProjectStore::metric(int64_t run, const std::string &split,
                                              const std::string &model,
                                              const std::string &name) const
{
    std::lock_guard<std::mutex> lock(m->mutex);
    Statement s(m->db.handle(),
                "SELECT split, model, name, value, lo, hi FROM metrics WHERE run_id = ?1 AND split "
                "= ?2 AND model = ?3 AND name = ?4",
                m->db.path());
    s.bind(1, run).bind(2, split).bind(3, model).bind(4, name);
    if (!s.step())
        return std::nullopt;
    return readMetric(s);
}

std::optional<std::string> ProjectStore::artifact(int64_t run, const std::string &name) const
{
    std::lock_guard<std::mutex> lock(m->mutex);
    Statement s(m->db.handle(), "SELECT json FROM artifacts WHERE run_id = ?1 AND name = ?2",
                m->db.path());
    s.bind(1, run).bind(2, name);
    if (!s.step())
        return std::nullopt;
    return s.text(0);
}

std::vector<ScoreRow> ProjectStore::scores(int64_t run, const std::string &model,
                                           const std::string &split) const
{
    std::lock_guard<std::mutex> lock(m->mutex);
    Statement s(
        m->db.handle(),
        "SELECT model, entity, split, label, score FROM scores WHERE run_id = ?1 AND model = ?2 "
        "AND (?3 = '' OR split = ?3) ORDER BY score DESC, entity",
        m->db.path());
    s.bind(1, run).bind(2, model).bind(3, split);
    std::vector<ScoreRow> out;
    while (s.step())
        out.push_back(readScore(s));
    return out;
}

std::optional<ScoreRow> ProjectStore::score(int64_t run, const std::string &model,
                                            const std::string &entity) const
{
    std::lock_guard<std::mutex> lock(m->mutex);
    Statement s(m->db.handle(),
                "SELECT model, entity, split, label, score FROM scores WHERE run_id = ?1 AND model "
                "= ?2 AND entity = ?3",
                m->db.path());
    s.bind(1, run).bind(2, model).bind(3, entity);
    if (!s.step())
        return std::nullopt;
    return readScore(s);
}

std::vector<AuditEntry> ProjectStore::auditLog() const
{
    std::lock_guard<std::mutex> lock(m->mutex);
    Statement s(m->db.handle(),
                "SELECT id, at, os_user, action, object, detail FROM audit ORDER BY id",
                m->db.path());
    std::vector<AuditEntry> out;
    while (s.step())
        out.push_back(
            AuditEntry{s.int64(0), s.text(1), s.text(2), s.text(3), s.text(4), s.text(5)});
    return out;
}

std::string bundleDirOf(const RunInfo &run)
{
    return run.kind == "compare" ? run.outputPath + "/model" : run.outputPath;
}

} // namespace seqlens
