// SPDX-License-Identifier: GPL-3.0-or-later
#include "workbench/plot_export.h"

#include <qcustomplot.h>

#include <QFileDialog>
#include <QMenu>
#include <QMessageBox>
#include <QSettings>

namespace seqlens::ui {

QString plotDataCsv(QCustomPlot *plot)
{
    QString csv = "series,key,value\n";
    auto name = [](QCPAbstractPlottable *p) {
        QString n = p->name();
        return n.contains(',') || n.contains('"') ? "\"" + n.replace("\"", "\"\"") + "\"" : n;
    };
    for (int i = 0; i < plot->plottableCount(); ++i) {
        QCPAbstractPlottable *p = plot->plottable(i);
        if (auto *g = qobject_cast<QCPGraph *>(p)) {
            for (auto it = g->data()->constBegin(); it != g->data()->constEnd(); ++it)
                csv += name(p) + "," + QString::number(it->key, 'g', 12) + "," +
                       QString::number(it->value, 'g', 12) + "\n";
        } else if (auto *b = qobject_cast<QCPBars *>(p)) {
            for (auto it = b->data()->constBegin(); it != b->data()->constEnd(); ++it)
                csv += name(p) + "," + QString::number(it->key, 'g', 12) + "," +
                       QString::number(it->value, 'g', 12) + "\n";
        }
    }
    return csv;
}

bool exportPlot(QCustomPlot *plot, const QString &path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == "png")
        return plot->savePng(path, plot->width(), plot->height(), 2.0);
    if (suffix == "pdf")
        return plot->savePdf(path, plot->width(), plot->height());
    if (suffix == "csv") {
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
            return false;
        return f.write(plotDataCsv(plot).toUtf8()) >= 0 && f.flush();
    }
    return false;
}

void exportPlotInteractive(QCustomPlot *plot, QWidget *parent, const QString &baseName)
{
    QSettings settings;
    const QString folder = settings.value("export/lastFolder", QDir::homePath()).toString();
    const QString format = settings.value("export/lastFormat", "png").toString();
    const QString filters = "PNG image (*.png);;PDF document (*.pdf);;Data as CSV (*.csv)";
    QString selected = format == "pdf"   ? "PDF document (*.pdf)"
                       : format == "csv" ? "Data as CSV (*.csv)"
                                         : "PNG image (*.png)";
    QString path = QFileDialog::getSaveFileName(
        parent, "Export plot", folder + "/" + baseName + "." + format, filters, &selected);
    if (path.isEmpty())
        return;
    if (QFileInfo(path).suffix().isEmpty())
        path += selected.contains("pdf") ? ".pdf" : selected.contains("csv") ? ".csv" : ".png";
    if (!exportPlot(plot, path)) {
        QMessageBox::warning(
            parent, "Export failed",
            "Could not write " + path +
                ".\nChoose a folder you can write to and a .png, .pdf or .csv name.");
        return;
    }
    settings.setValue("export/lastFolder", QFileInfo(path).absolutePath());
    settings.setValue("export/lastFormat", QFileInfo(path).suffix().toLower());
}

void enablePlotExport(QCustomPlot *plot, const QString &baseName)
{
    plot->setContextMenuPolicy(Qt::CustomContextMenu);
    QObject::connect(plot, &QWidget::customContextMenuRequested, plot,
                     [plot, baseName](const QPoint &pos) {
                         QMenu menu(plot);
                         menu.addAction("Export plot or data…", plot, [plot, baseName] {
                             exportPlotInteractive(plot, plot->window(), baseName);
                         });
                         menu.exec(plot->mapToGlobal(pos));
                     });
}

} // namespace seqlens::ui
