// SPDX-License-Identifier: GPL-3.0-or-later
// Monitoring records of the project store: one per monitored batch of a run.
#include "project_store_impl.h"

#include "seqlens/util/clock.h"
#include "seqlens/util/error.h"

namespace seqlens {

using store::Statement;

namespace {

const char *const kColumns =
    "SELECT id, run_id, name, created_at, events_path, labels_path, events_fingerprint, "
    "applicants, cohort_by, status, json FROM monitoring ";

MonitoringRecord readRecord(const Statement &s)
{
    MonitoringRecord r;
    r.id = s.int64(0);
    r.run = s.int64(1);
    r.name = s.text(2);
    r.createdAt = s.text(3);
    r.eventsPath = s.text(4);
    r.labelsPath = s.text(5);
    r.eventsFingerprint = s.text(6);
    r.applicants = s.int64(7);
    r.cohortBy = s.text(8);
    r.status = s.text(9);
    r.json = s.text(10);
    return r;
}

} // namespace

int64_t ProjectStore::addMonitoring(MonitoringRecord r)
{
    run(r.run); // Data error when unknown
    r.createdAt = utcNowIso();
    int64_t id = 0;
    {
        std::lock_guard<std::mutex> lock(m->mutex);
        Statement s(m->db.handle(),
                    "INSERT INTO monitoring (run_id, name, created_at, events_path, labels_path, "
                    "events_fingerprint, applicants, cohort_by, status, json) VALUES "
                    "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                    m->db.path());
        s.bind(1, r.run)
            .bind(2, r.name)
            .bind(3, r.createdAt)
            .bind(4, r.eventsPath)
            .bind(5, r.labelsPath)
            .bind(6, r.eventsFingerprint)
            .bind(7, r.applicants)
            .bind(8, r.cohortBy)
            .bind(9, r.status)
            .bind(10, r.json)
            .run();
        id = m->db.lastInsertId();
    }
    audit("monitored", "run " + std::to_string(r.run),
          "batch " + r.name + " (monitoring " + std::to_string(id) + "): " + r.status);
    return id;
}

std::vector<MonitoringRecord> ProjectStore::monitorings(int64_t run) const
{
    std::lock_guard<std::mutex> lock(m->mutex);
    Statement s(m->db.handle(), (std::string(kColumns) + "WHERE run_id = ?1 ORDER BY id").c_str(),
                m->db.path());
    s.bind(1, run);
    std::vector<MonitoringRecord> out;
    while (s.step())
        out.push_back(readRecord(s));
    return out;
}

MonitoringRecord ProjectStore::monitoring(int64_t id) const
{
    std::lock_guard<std::mutex> lock(m->mutex);
    Statement s(m->db.handle(), (std::string(kColumns) + "WHERE id = ?1").c_str(), m->db.path());
    s.bind(1, id);
    if (!s.step())
        throwData(m->db.path() + ": no monitoring record " + std::to_string(id) +
                  " (seqlens-cli monitor --project FILE --list shows them)");
    return readRecord(s);
}

} // namespace seqlens
