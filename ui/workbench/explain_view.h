// SPDX-License-Identifier: GPL-3.0-or-later
// Explain (global), for the selected run, in three tabs:
//   - attributions: mean |Integrated Gradients| per input, the categorical values that raise or
//     lower the score most, and the mean attribution by time before the cutoff (score units);
//   - faithfulness: deletion/insertion curves per method, the verdict and the sanity check, and
//     the state-space surrogate's fidelity and coefficients;
//   - attention (model internals): mean field attention per input and event weight by time.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <QWidget>

class QCustomPlot;
class QLabel;
class QTabWidget;

namespace seqlens::ui {

class ProjectSession;

class ExplainView : public QWidget {
    Q_OBJECT
public:
    explicit ExplainView(ProjectSession &session, QWidget *parent = nullptr);
    void showRun(qint64 run);
    QTabWidget *tabs() const { return m_tabs; }
    QCustomPlot *fieldPlot() const { return m_fields; }
    QCustomPlot *inputAttributionPlot() const { return m_inputs; }
    QCustomPlot *valueAttributionPlot() const { return m_values; }
    QCustomPlot *timeAttributionPlot() const { return m_bands; }
    QCustomPlot *faithfulnessPlot() const { return m_faith; }
    QCustomPlot *surrogatePlot() const { return m_surrogate; }
    QLabel *auditLabel() const { return m_audit; }

private:
    void showAttention(qint64 run);
    void showAudit(qint64 run);
    void showAttributions(qint64 run, const nlohmann::json &globalAttribution);
    void showFaithfulness(const nlohmann::json &faithfulness, const nlohmann::json &surrogate);

    ProjectSession &m_session;
    QTabWidget *m_tabs;
    QLabel *m_title, *m_attributionTitle, *m_audit;
    QCustomPlot *m_fields, *m_time;
    QCustomPlot *m_inputs, *m_values, *m_bands;
    QCustomPlot *m_faith, *m_surrogate;
};

} // namespace seqlens::ui
