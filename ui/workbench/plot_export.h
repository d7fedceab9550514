// SPDX-License-Identifier: GPL-3.0-or-later
// Export of any plot: PNG or PDF (QCustomPlot's own writers) and its data as CSV. The last
// folder and format are remembered in QSettings.
#pragma once

#include <QString>

class QCustomPlot;
class QWidget;

namespace seqlens::ui {

// Writes by extension (.png, .pdf, .csv); returns false when the file cannot be written.
bool exportPlot(QCustomPlot *plot, const QString &path);
// The data of every graph and bar series: series,key,value.
QString plotDataCsv(QCustomPlot *plot);
// Asks for a file name (starting in the last folder, with the last format) and exports.
void exportPlotInteractive(QCustomPlot *plot, QWidget *parent, const QString &baseName);

// Adds "Export…" to the plot's context menu.
void enablePlotExport(QCustomPlot *plot, const QString &baseName);

} // namespace seqlens::ui
