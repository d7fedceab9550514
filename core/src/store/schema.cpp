// SPDX-License-Identifier: GPL-3.0-or-later
#include "schema.h"

#include <string>

namespace seqlens::store {

namespace {

// Version 1: datasets, resolved configs, runs with epochs and metrics, the audit log.
const char *const kVersion1 = R"sql(
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
INSERT INTO meta (key, value) VALUES ('application', 'SeqLens');
CREATE TABLE datasets (
  id INTEGER PRIMARY KEY,
  role TEXT NOT NULL,                 -- events | labels
  path TEXT NOT NULL,
  size_bytes INTEGER NOT NULL,
  fingerprint TEXT NOT NULL,          -- FNV-1a 64 of the uncompressed content
  rows INTEGER NOT NULL,
  recorded_at TEXT NOT NULL,
  UNIQUE (role, path, fingerprint));
CREATE TABLE configs (id INTEGER PRIMARY KEY, json TEXT NOT NULL UNIQUE);
CREATE TABLE runs (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,                 -- train | compare
  status TEXT NOT NULL CHECK (status IN ('running', 'finished', 'failed', 'cancelled', 'interrupted')),
  config_id INTEGER NOT NULL REFERENCES configs (id),
  seed INTEGER NOT NULL,
  threads INTEGER NOT NULL,
  seqlens_version TEXT NOT NULL,
  torch_version TEXT NOT NULL,
  started_at TEXT NOT NULL,
  finished_at TEXT,
  message TEXT NOT NULL DEFAULT '',
  output_path TEXT NOT NULL DEFAULT '',
  os_user TEXT NOT NULL,
  host TEXT NOT NULL,
  pid INTEGER NOT NULL,
  pid_start TEXT NOT NULL);           -- the process's start time, so a reused pid is not mistaken for it
CREATE TABLE run_datasets (
  run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  dataset_id INTEGER NOT NULL REFERENCES datasets (id),
  PRIMARY KEY (run_id, dataset_id));
CREATE TABLE epochs (
  run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  model TEXT NOT NULL,                -- which model of the run ('sequence', 'fold 2/5', ...)
  epoch INTEGER NOT NULL,
  train_loss REAL, valid_loss REAL, valid_auc REAL, seconds REAL,
  PRIMARY KEY (run_id, model, epoch));
CREATE TABLE metrics (
  run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  split TEXT NOT NULL, model TEXT NOT NULL, name TEXT NOT NULL,
  value REAL, lo REAL, hi REAL,
  PRIMARY KEY (run_id, split, model, name));
CREATE TABLE audit (
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL, os_user TEXT NOT NULL, action TEXT NOT NULL, object TEXT NOT NULL, detail TEXT NOT NULL DEFAULT '');
PRAGMA user_version = 1;
)sql";

// Version 2: curves and tables (JSON artifacts) and per-applicant scores.
const char *const kVersion2 = R"sql(
CREATE TABLE artifacts (
  run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  json TEXT NOT NULL,
  PRIMARY KEY (run_id, name));
CREATE TABLE scores (
  run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  model TEXT NOT NULL,
  entity TEXT NOT NULL,
  split TEXT NOT NULL,
  label INTEGER NOT NULL,             -- 1 bad, 0 good, -1 unknown
  score REAL NOT NULL,
  PRIMARY KEY (run_id, model, entity));
CREATE INDEX scores_by_score ON scores (run_id, model, split, score);
PRAGMA user_version = 2;
)sql";

// Version 3: monitoring records, one per monitored batch of a run, so months accumulate.
const char *const kVersion3 = R"sql(
CREATE TABLE monitoring (
  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  created_at TEXT NOT NULL,
  events_path TEXT NOT NULL,
  labels_path TEXT NOT NULL DEFAULT '',
  events_fingerprint TEXT NOT NULL,
  applicants INTEGER NOT NULL,
  cohort_by TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('green', 'amber', 'red')),
  json TEXT NOT NULL);                -- the whole result (monitoring.json)
CREATE INDEX monitoring_by_run ON monitoring (run_id, id);
PRAGMA user_version = 3;
)sql";

const char *const kMigrations[] = {kVersion1, kVersion2, kVersion3};

} // namespace

void migrate(Database &db, int target)
{
    for (int v = db.userVersion(); v < target; ++v) {
        Transaction t(db);
        db.exec(kMigrations[v]);
        t.commit();
    }
}

} // namespace seqlens::store
