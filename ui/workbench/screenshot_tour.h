// SPDX-License-Identifier: GPL-3.0-or-later
// Drives the workbench through every view on the demo project and saves a screenshot of each
// (docs/screenshots/ in the README). Used by scripts/screenshots.sh.
#pragma once

#include <QString>

namespace seqlens::ui {

class MainWindow;

// Returns 0 on success; prints what failed otherwise.
int runScreenshotTour(MainWindow &window, const QString &demoDir, const QString &outDir);

} // namespace seqlens::ui
