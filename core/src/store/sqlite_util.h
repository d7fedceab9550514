// SPDX-License-Identifier: GPL-3.0-or-later
// Minimal RAII over the sqlite3 C API: a connection and prepared statements with bound
// parameters. Values are only ever bound, never spliced into SQL text.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <string>

namespace seqlens::store {

class Statement {
public:
    Statement(sqlite3 *db, const char *sql, const std::string &file);
    ~Statement();
    Statement(const Statement &) = delete;
    Statement &operator=(const Statement &) = delete;

    // Bind by 1-based position; chainable.
    Statement &bind(int i, int64_t v);
    Statement &bind(int i, double v); // NaN is stored as NULL
    Statement &bind(int i, const std::string &v);
    Statement &bindNull(int i);

    bool step(); // true while a row is available
    void run();  // step to completion (INSERT/UPDATE/DELETE)
    void reset();

    int64_t int64(int col) const;
    double real(int col) const; // NULL reads as NaN
    std::string text(int col) const;
    bool isNull(int col) const;

private:
    sqlite3 *m_db;
    sqlite3_stmt *m_stmt = nullptr;
    std::string m_file;
};

class Database {
public:
    enum class Mode { ReadOnly, ReadWrite, Create };
    Database(const std::string &path, Mode mode);
    ~Database();
    Database(const Database &) = delete;
    Database &operator=(const Database &) = delete;

    sqlite3 *handle() const { return m_db; }
    const std::string &path() const { return m_path; }
    void exec(const char *sql); // constant SQL only (schema, pragmas, transactions)
    int userVersion();
    int64_t lastInsertId() const { return sqlite3_last_insert_rowid(m_db); }
    [[noreturn]] void fail(const std::string &what) const;

private:
    sqlite3 *m_db = nullptr;
    std::string m_path;
};

// BEGIN IMMEDIATE ... COMMIT, rolled back when an exception leaves the scope.
class Transaction {
public:
    explicit Transaction(Database &db);
    ~Transaction();
    void commit();

private:
    Database &m_db;
    bool m_done = false;
};

} // namespace seqlens::store
