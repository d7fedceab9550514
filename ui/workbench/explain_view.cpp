// SPDX-License-Identifier: GPL-3.0-or-later
#include "workbench/explain_view.h"

#include "report/plot_data.h"
#include "workbench/plot_export.h"
#include "workbench/project_session.h"

#include <nlohmann/json.hpp>
#include <qcustomplot.h>

#include <QGridLayout>
#include <QLabel>
#include <QTabWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace seqlens::ui {

using nlohmann::json;

namespace {

QCustomPlot *exportablePlot(const QString &name)
{
    auto *plot = new QCustomPlot;
    enablePlotExport(plot, name);
    return plot;
}

QLabel *wrappedLabel(const QString &text)
{
    auto *label = new QLabel(text);
    label->setWordWrap(true);
    return label;
}

QString fmt(const json &v, int decimals = 3)
{
    return v.is_number() ? QString::number(v.get<double>(), 'f', decimals) : QString("n/a");
}

} // namespace

ExplainView::ExplainView(ProjectSession &session, QWidget *parent)
    : QWidget(parent), m_session(session)
{
    m_title = wrappedLabel("Select a finished run.");
    m_attributionTitle = wrappedLabel("Select a finished run.");
    m_audit = wrappedLabel("Select a finished run.");
    m_fields = exportablePlot("field_attention");
    m_time = exportablePlot("event_weight_by_time");
    m_inputs = exportablePlot("attribution_by_input");
    m_values = exportablePlot("attribution_by_value");
    m_bands = exportablePlot("attribution_by_time");
    m_faith = exportablePlot("faithfulness");
    m_surrogate = exportablePlot("surrogate_coefficients");

    auto *attributions = new QWidget;
    auto *grid = new QGridLayout(attributions);
    grid->addWidget(m_attributionTitle, 0, 0, 1, 2);
    grid->addWidget(m_inputs, 1, 0);
    grid->addWidget(m_bands, 2, 0);
    grid->addWidget(m_values, 1, 1, 2, 1);
    grid->setRowStretch(1, 1);
    grid->setRowStretch(2, 1);

    auto *faithfulness = new QWidget;
    auto *fl = new QVBoxLayout(faithfulness);
    fl->addWidget(m_audit);
    fl->addWidget(m_faith, 3);
    fl->addWidget(m_surrogate, 2);

    auto *attention = new QWidget;
    auto *al = new QVBoxLayout(attention);
    al->addWidget(m_title);
    al->addWidget(m_fields, 1);
    al->addWidget(m_time, 1);

    m_tabs = new QTabWidget;
    m_tabs->addTab(attributions, "Attributions (score units)");
    m_tabs->addTab(faithfulness, "Faithfulness and surrogate");
    m_tabs->addTab(attention, "Attention (model internals)");
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_tabs);
    connect(&m_session, &ProjectSession::runSelected, this, &ExplainView::showRun);
}

void ExplainView::showRun(qint64 run)
{
    showAttention(run);
    showAudit(run);
}

void ExplainView::showAttention(qint64 run)
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
    m_title->setText(QString("Run %1: where the model looked (attention is not a contribution to "
                             "the score). Mean field attention over %2 test applicants (top), and "
                             "the mean attention weight of an event by its time before the "
                             "cutoff (bottom).")
                         .arg(run)
                         .arg(g["applicants"].get<int64_t>()));
}

void ExplainView::showAudit(qint64 run)
{
    const auto art = m_session.isOpen() && run > 0
                         ? m_session.store().artifact(run, "explanation_audit")
                         : std::nullopt;
    const QString none = QString("Run %1 has no explanation audit (train and compare runs record "
                                 "one; runs recorded before SeqLens measured attributions do not).")
                             .arg(run);
    for (QCustomPlot *p : {m_inputs, m_values, m_bands, m_faith, m_surrogate}) {
        p->clearPlottables();
        p->clearItems();
        p->replot();
    }
    if (!art) {
        m_attributionTitle->setText(none);
        m_audit->setText(none);
        return;
    }
    try {
        const json a = json::parse(*art);
        showAttributions(run, a.at("global_attribution"));
        showFaithfulness(a.at("faithfulness"), a.at("surrogate"));
    } catch (const json::exception &e) {
        const QString bad = QString("Run %1: the stored explanation audit cannot be read (%2).")
                                .arg(run)
                                .arg(e.what());
        m_attributionTitle->setText(bad);
        m_audit->setText(bad);
    }
    for (QCustomPlot *p : {m_inputs, m_values, m_bands, m_faith, m_surrogate})
        p->replot();
}

void ExplainView::showAttributions(qint64 run, const json &g)
{
    const report::Bars inputs = report::attributionByInput(g);
    report::drawRankedBars(*m_inputs, inputs.labels, inputs.values, "mean |attribution| (logit)",
                           false);
    const report::Bars bands = report::attributionByTime(g);
    report::drawSignedBars(*m_bands, bands.labels, bands.values, "mean attribution (logit)");
    m_bands->xAxis->setLabel("time before the cutoff");
    const report::Bars values = report::attributionByValue(g, 16);
    report::drawRankedBars(*m_values, values.labels, values.values,
                           "mean attribution of events with this value (logit; seen on 5 or more)",
                           true);
    m_attributionTitle->setText(
        QString("Run %1: Integrated Gradients of %2 test applicants, in score units (logit). "
                "Top left: how much each input moves the score (mean |attribution| per event). "
                "Bottom left: the mean attribution of an event by its time before the cutoff. "
                "Right: the event types and field values that raise (red) or lower (blue) the "
                "risk most.")
            .arg(run)
            .arg(g.value("applicants", int64_t(0))));
}

void ExplainView::showFaithfulness(const json &f, const json &s)
{
    std::vector<report::Series> deletion, insertion;
    report::faithfulnessCurves(f, deletion, insertion);
    report::drawFaithfulness(*m_faith, deletion, insertion);
    const report::Bars coef = report::surrogateCoefficients(s, 12);
    report::drawRankedBars(*m_surrogate, coef.labels, coef.values, "coefficient norm", false);
    const json &sanity = f["sanity_check"];
    m_audit->setText(
        QString("<b>Verdict.</b> %1 Randomised-weights check %2.<br><b>State-space "
                "surrogate</b> (%3 states): held-out R² %4 over %5 events; bottom: what moves the "
                "model's memory (coefficient norms).")
            .arg(QString::fromStdString(f["verdict"].get<std::string>()).toHtmlEscaped(),
                 sanity["passed"].get<bool>() ? "passed"
                                              : "<b>FAILED: do not use the attributions</b>",
                 QString::fromStdString(s["aggregation"].get<std::string>()), fmt(s["r2"]),
                 QString::number(s["held_out_events"].get<int64_t>())));
}

} // namespace seqlens::ui
