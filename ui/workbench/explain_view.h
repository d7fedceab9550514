// SPDX-License-Identifier: GPL-3.0-or-later
// Explain (global): mean field attention per input over the test applicants, sorted, and the
// mean event weight by time before the cutoff, for the selected run.
#pragma once

#include <QWidget>

class QCustomPlot;
class QLabel;

namespace seqlens::ui {

class ProjectSession;

class ExplainView : public QWidget {
    Q_OBJECT
public:
    explicit ExplainView(ProjectSession &session, QWidget *parent = nullptr);
    void showRun(qint64 run);
    QCustomPlot *fieldPlot() const { return m_fields; }

private:
    ProjectSession &m_session;
    QLabel *m_title;
    QCustomPlot *m_fields, *m_time;
};

} // namespace seqlens::ui
