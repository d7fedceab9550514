// SPDX-License-Identifier: GPL-3.0-or-later
// A long job (train, compare, data audit, loading the inspector) on a worker thread. The window
// stays responsive: progress and the result come back as queued signals; cancel() sets the
// job's token, which the core checks between batches.
#pragma once

#include "seqlens/nn/trainer.h"

#include <QObject>
#include <QString>
#include <QThread>

#include <functional>
#include <memory>

namespace seqlens::ui {

struct ProgressInfo {
    qint64 epoch = 0, epochs = 0, batch = 0, batches = 0;
    double loss = 0, validAuc = 0, etaSeconds = 0;
    bool epochEnd = false;
    QString task;
};

class Job : public QObject {
    Q_OBJECT
public:
    // `work` runs on the worker thread; it may call report() and read cancelToken().
    using Work = std::function<void(Job &job)>;
    explicit Job(Work work, QObject *parent = nullptr);
    ~Job() override;

    void start();
    void cancel();
    bool isRunning() const;
    const CancelToken *cancelToken() const { return &m_cancel; }

    // Worker side: thread-safe, queued to the GUI thread.
    void report(const TrainProgress &p);
    ProgressFn progressFn();
    void log(const QString &line);

Q_SIGNALS:
    void progress(const seqlens::ui::ProgressInfo &info);
    void logLine(const QString &line);
    void finished(bool ok, const QString &error, bool cancelled);

private:
    Work m_work;
    CancelToken m_cancel;
    QThread *m_thread = nullptr;
};

} // namespace seqlens::ui

Q_DECLARE_METATYPE(seqlens::ui::ProgressInfo)
