// SPDX-License-Identifier: GPL-3.0-or-later
#include "project_store_impl.h"
#include "schema.h"
#include "seqlens/util/clock.h"
#include "seqlens/util/error.h"
#include "seqlens/util/version.h"
#include "sqlite_util.h"

#include <pwd.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>

namespace seqlens {

using store::Database;
using store::Statement;
using store::Transaction;

namespace {

const char *const kStatusNames[] = {"running", "finished", "failed", "cancelled", "interrupted"};

// Start time of a process (field 22 of /proc/PID/stat, in clock ticks since boot), "" when
// there is no such process.
std::string processStart(int64_t pid)
{
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    if (!std::getline(in, line))
        return "";
    const size_t close = line.rfind(')'); // the command name may contain spaces
    if (close == std::string::npos)
        return "";
    std::istringstream rest(line.substr(close + 2));
    std::string field;
    for (int i = 3; i <= 22 && rest >> field; ++i) {
    }
    return field;
}

// A file that exists and is not empty must be a SeqLens project of a schema we can read.
void checkExisting(const std::string &path)
{
    std::error_code ec;
    if (!std::filesystem::exists(path, ec) || std::filesystem::file_size(path, ec) == 0)
        return;
    const int version = ProjectStore::schemaVersionOf(path);
    if (version > store::kSchemaVersion)
        throwData(path + ": written by a newer SeqLens (project schema " + std::to_string(version) +
                  "; this build reads up to " + std::to_string(store::kSchemaVersion) +
                  "); open it with a newer SeqLens. The file was not changed");
    Database db(path, Database::Mode::ReadOnly);
    Statement tables(db.handle(), "SELECT count(*) FROM sqlite_master", path);
    tables.step();
    if (version == 0 && tables.int64(0) > 0)
        throwData(path + ": an SQLite database but not a SeqLens project (no schema version); "
                         "choose another file");
    if (version > 0) {
        Statement app(db.handle(), "SELECT value FROM meta WHERE key = 'application'", path);
        if (!app.step() || app.text(0) != "SeqLens")
            throwData(path + ": an SQLite database but not a SeqLens project; choose another file");
    }
}

} // namespace

RunStatus runStatusFromText(const std::string &s)
{
    for (int i = 0; i < 5; ++i)
        if (s == kStatusNames[i])
            return RunStatus(i);
    return RunStatus::Failed;
}

int projectSchemaVersion()
{
    return store::kSchemaVersion;
}

const char *toString(RunStatus status)
{
    return kStatusNames[int(status)];
}

std::string currentOsUser()
{
    if (const passwd *pw = getpwuid(geteuid()))
        return pw->pw_name;
    const char *u = std::getenv("USER");
    return u ? u : "uid " + std::to_string(geteuid());
}

std::string currentHost()
{
    char buf[256] = {};
    gethostname(buf, sizeof buf - 1);
    return buf;
}

void ProjectStore::Impl::markInterrupted()
{
    Statement running(db.handle(),
                      "SELECT id, host, pid, pid_start FROM runs WHERE status = 'running'",
                      db.path());
    std::vector<int64_t> dead;
    const std::string host = currentHost();
    while (running.step())
        if (running.text(1) == host && processStart(running.int64(2)) != running.text(3))
            dead.push_back(running.int64(0));
    if (dead.empty())
        return;
    Transaction t(db);
    Statement mark(
        db.handle(),
        "UPDATE runs SET status = 'interrupted', finished_at = ?1, "
        "message = 'the process stopped before the run finished (killed or crashed)' WHERE id = ?2",
        db.path());
    for (int64_t id : dead)
        mark.bind(1, utcNowIso()).bind(2, id).run();
    t.commit();
    interrupted = int64_t(dead.size());
}

ProjectStore::ProjectStore(const std::string &path)
{
    checkExisting(path);
    m = std::make_unique<Impl>(path);
    Database &db = m->db;
    try {
        db.exec("PRAGMA journal_mode = WAL");
    } catch (const Error &) {
        throwData(path + ": not a SeqLens project (not an SQLite database); choose another file");
    }
    db.exec("PRAGMA foreign_keys = ON");
    db.exec("PRAGMA synchronous = NORMAL");
    store::migrate(db, store::kSchemaVersion);
    m->markInterrupted();
}

ProjectStore::~ProjectStore() = default;

int ProjectStore::schemaVersionOf(const std::string &path)
{
    std::error_code ec;
    if (!std::filesystem::exists(path, ec))
        return 0;
    try {
        Database db(path, Database::Mode::ReadOnly);
        return db.userVersion();
    } catch (const Error &) {
        throwData(path + ": not a SeqLens project (not an SQLite database); choose another file");
    }
}

void ProjectStore::createAtVersion(const std::string &path, int version)
{
    Database db(path, Database::Mode::Create);
    db.exec("PRAGMA journal_mode = WAL");
    store::migrate(db, std::min(version, store::kSchemaVersion));
}

const std::string &ProjectStore::path() const
{
    return m->db.path();
}
int64_t ProjectStore::interruptedOnOpen() const
{
    return m->interrupted;
}

int64_t ProjectStore::beginRun(RunInfo run)
{
    std::lock_guard<std::mutex> lock(m->mutex);
    Database &db = m->db;
    Transaction t(db);
    Statement cfg(db.handle(),
                  "INSERT INTO configs (json) VALUES (?1) ON CONFLICT (json) DO NOTHING",
                  db.path());
    cfg.bind(1, run.configJson).run();
    Statement find(db.handle(), "SELECT id FROM configs WHERE json = ?1", db.path());
    find.bind(1, run.configJson);
    find.step();
    const int64_t configId = find.int64(0);
    Statement ins(db.handle(),
                  "INSERT INTO runs (kind, status, config_id, seed, threads, seqlens_version, "
                  "torch_version, started_at, "
                  "output_path, os_user, host, pid, pid_start) VALUES (?1, 'running', ?2, ?3, ?4, "
                  "?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                  db.path());
    const int64_t pid = int64_t(getpid());
    ins.bind(1, run.kind)
        .bind(2, configId)
        .bind(3, int64_t(run.seed))
        .bind(4, run.threads)
        .bind(5, std::string(seqlensVersion()) + " (" + gitRevision() + ")");
    ins.bind(6, torchVersion())
        .bind(7, utcNowIso())
        .bind(8, run.outputPath)
        .bind(9, currentOsUser())
        .bind(10, currentHost());
    ins.bind(11, pid).bind(12, processStart(pid)).run();
    const int64_t id = db.lastInsertId();
    t.commit();
    return id;
}

void ProjectStore::addEpoch(int64_t run, const EpochRow &e)
{
    std::lock_guard<std::mutex> lock(m->mutex);
    Statement s(m->db.handle(),
                "INSERT OR REPLACE INTO epochs (run_id, model, epoch, train_loss, valid_loss, "
                "valid_auc, seconds) "
                "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                m->db.path());
    s.bind(1, run)
        .bind(2, e.model)
        .bind(3, e.epoch)
        .bind(4, e.trainLoss)
        .bind(5, e.validLoss)
        .bind(6, e.validAuc)
        .bind(7, e.seconds);
    s.run(); // a single statement is its own transaction
}

void ProjectStore::finishRun(int64_t run, RunStatus status, const std::string &message)
{
    std::lock_guard<std::mutex> lock(m->mutex);
    Statement s(m->db.handle(),
                "UPDATE runs SET status = ?1, finished_at = ?2, message = ?3 WHERE id = ?4",
                m->db.path());
    s.bind(1, std::string(toString(status)))
        .bind(2, utcNowIso())
        .bind(3, message)
        .bind(4, run)
        .run();
}

void ProjectStore::linkDataset(int64_t run, DatasetInfo d)
{
    std::lock_guard<std::mutex> lock(m->mutex);
    Database &db = m->db;
    Transaction t(db);
    Statement ins(db.handle(),
                  "INSERT INTO datasets (role, path, size_bytes, fingerprint, rows, recorded_at) "
                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
                  "ON CONFLICT (role, path, fingerprint) DO NOTHING",
                  db.path());
    ins.bind(1, d.role)
        .bind(2, d.path)
        .bind(3, d.sizeBytes)
        .bind(4, d.fingerprint)
        .bind(5, d.rows)
        .bind(6, utcNowIso())
        .run();
    Statement find(db.handle(),
                   "SELECT id FROM datasets WHERE role = ?1 AND path = ?2 AND fingerprint = ?3",
                   db.path());
    find.bind(1, d.role).bind(2, d.path).bind(3, d.fingerprint);
    find.step();
    Statement link(db.handle(),
                   "INSERT OR IGNORE INTO run_datasets (run_id, dataset_id) VALUES (?1, ?2)",
                   db.path());
    link.bind(1, run).bind(2, find.int64(0)).run();
    t.commit();
}

void ProjectStore::addMetrics(int64_t run, const std::vector<MetricRow> &rows)
{
    std::lock_guard<std::mutex> lock(m->mutex);
    Transaction t(m->db);
    Statement s(m->db.handle(),
                "INSERT OR REPLACE INTO metrics (run_id, split, model, name, value, lo, hi) VALUES "
                "(?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                m->db.path());
    for (const auto &r : rows)
        s.bind(1, run)
            .bind(2, r.split)
            .bind(3, r.model)
            .bind(4, r.name)
            .bind(5, r.value)
            .bind(6, r.lo)
            .bind(7, r.hi)
            .run();
    t.commit();
}

void ProjectStore::putArtifact(int64_t run, const std::string &name, const std::string &json)
{
    std::lock_guard<std::mutex> lock(m->mutex);
    Statement s(m->db.handle(),
                "INSERT OR REPLACE INTO artifacts (run_id, name, json) VALUES (?1, ?2, ?3)",
                m->db.path());
    s.bind(1, run).bind(2, name).bind(3, json).run();
}

void ProjectStore::addScores(int64_t run, const std::vector<ScoreRow> &rows)
{
    std::lock_guard<std::mutex> lock(m->mutex);
    Transaction t(m->db);
    Statement s(m->db.handle(),
                "INSERT OR REPLACE INTO scores (run_id, model, entity, split, label, score) VALUES "
                "(?1, ?2, ?3, ?4, ?5, ?6)",
                m->db.path());
    for (const auto &r : rows)
        s.bind(1, run)
            .bind(2, r.model)
            .bind(3, r.entity)
            .bind(4, r.split)
            .bind(5, int64_t(r.label))
            .bind(6, r.score)
            .run();
    t.commit();
}

void ProjectStore::deleteRun(int64_t run)
{
    const RunInfo info = this->run(run); // Data error when unknown
    {
        std::lock_guard<std::mutex> lock(m->mutex);
        Statement s(m->db.handle(), "DELETE FROM runs WHERE id = ?1", m->db.path());
        s.bind(1, run).run();
    }
    audit("deleted", "run " + std::to_string(run), info.kind + " run started " + info.startedAt);
}

void ProjectStore::audit(const std::string &action, const std::string &object,
                         const std::string &detail)
{
    std::lock_guard<std::mutex> lock(m->mutex);
    Statement s(
        m->db.handle(),
        "INSERT INTO audit (at, os_user, action, object, detail) VALUES (?1, ?2, ?3, ?4, ?5)",
        m->db.path());
    s.bind(1, utcNowIso())
        .bind(2, currentOsUser())
        .bind(3, action)
        .bind(4, object)
        .bind(5, detail)
        .run();
}

} // namespace seqlens
