// SPDX-License-Identifier: GPL-3.0-or-later
#include "workbench/explain_view.h"

#include "report/plot_data.h"
#include "workbench/plot_export.h"
#include "workbench/project_session.h"

#include <nlohmann/json.hpp>
#include <qcustomplot.h>

#include <QLabel>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace seqlens::ui {

using nlohmann::json;

ExplainView::ExplainView(ProjectSession &session, QWidget *parent)
    : QWidget(parent), m_session(session)
{
    m_title = new QLabel("Select a finished run.");
    m_title->setWordWrap(true);
    m_fields = new QCustomPlot;
    m_time = new QCustomPlot;
    enablePlotExport(m_fields, "field_attention");
    enablePlotExport(m_time, "event_weight_by_time");
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_title);
    layout->addWidget(m_fields, 1);
    layout->addWidget(m_time, 1);
    connect(&m_session, &ProjectSession::runSelected, this, &ExplainView::showRun);
}

void ExplainView::showRun(qint64 run)
{
    const auto art = m_session.isOpen() && run > 0
                         ? m_session.store().artifact(run, "global_attention")
                         : std::nullopt;
    if (!art) {
        m_title->setText(
            QString("Run %1 has no global explanation (only finished train and compare runs do).")
                .arg(run));
        return;
    }
    const json g = json::parse(*art);
    QStringList names;
    QVector<double> values;
    report::sortedFieldAttention(g, names, values);
    report::drawBars(*m_fields, names, values, "mean field attention",
                     1.0 / double(std::max<qsizetype>(1, names.size())), "uniform");
    m_fields->replot();
    QStringList bands;
    QVector<double> weights;
    for (size_t b = 0; b < g["bands"].size(); ++b) {
        bands << QString::fromStdString(g["bands"][b].get<std::string>());
        weights << (g["mean_item_weight"][b].is_null() ? 0.0
                                                       : g["mean_item_weight"][b].get<double>());
    }
    report::drawBars(*m_time, bands, weights, "mean event weight");
    m_time->xAxis->setLabel("time before the cutoff");
    m_time->replot();
    m_title->setText(QString("Run %1: mean field attention over %2 test applicants (top), and the "
                             "mean attention weight of an "
                             "event by its time before the cutoff (bottom).")
                         .arg(run)
                         .arg(g["applicants"].get<int64_t>()));
}

} // namespace seqlens::ui
