// SPDX-License-Identifier: GPL-3.0-or-later
#include "workbench/job.h"

#include "seqlens/util/error.h"

namespace seqlens::ui {

Job::Job(Work work, QObject *parent) : QObject(parent), m_work(std::move(work))
{
    qRegisterMetaType<seqlens::ui::ProgressInfo>();
}

Job::~Job()
{
    if (m_thread) {
        m_cancel.cancel();
        m_thread->wait();
    }
}

void Job::start()
{
    m_thread = QThread::create([this] {
        bool ok = false, cancelled = false;
        QString error;
        try {
            m_work(*this);
            ok = true;
            cancelled = m_cancel.cancelled();
        } catch (const Error &e) {
            cancelled = e.kind() == ErrorKind::Cancelled;
            if (!cancelled)
                error = QString::fromStdString(e.what());
        } catch (const std::exception &e) {
            error = "internal error: " + QString::fromStdString(e.what());
        }
        Q_EMIT finished(ok && !cancelled, error, cancelled);
    });
    connect(m_thread, &QThread::finished, m_thread, &QObject::deleteLater);
    connect(m_thread, &QThread::destroyed, this, [this] { m_thread = nullptr; });
    m_thread->start();
}

void Job::cancel()
{
    m_cancel.cancel();
}
bool Job::isRunning() const
{
    return m_thread && m_thread->isRunning();
}

void Job::report(const TrainProgress &p)
{
    ProgressInfo i{p.epoch,      p.epochs,   p.batch,
                   p.batches,    p.loss,     p.validAuc,
                   p.etaSeconds, p.epochEnd, QString::fromStdString(p.task)};
    Q_EMIT progress(i);
}

ProgressFn Job::progressFn()
{
    return [this](const TrainProgress &p) { report(p); };
}

void Job::log(const QString &line)
{
    Q_EMIT logLine(line);
}

} // namespace seqlens::ui
