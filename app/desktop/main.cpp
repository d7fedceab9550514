// SPDX-License-Identifier: GPL-3.0-or-later
// seqlens: the desktop workbench. `seqlens [PROJECT]` opens a project; `seqlens --demo [DIR]`
// opens the demo project (generated in DIR, default ~/SeqLens-demo); `seqlens --screenshots
// OUTDIR DEMODIR` walks every view and saves screenshots.
#include "workbench/main_window.h"
#include "workbench/screenshot_tour.h"

#include "seqlens/util/version.h"

#include <QApplication>

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName("SeqLens");
    QApplication::setApplicationName("SeqLens");
    QApplication::setApplicationVersion(seqlens::seqlensVersion());
    const QStringList args = QApplication::arguments();
    seqlens::ui::MainWindow window;
    if (args.size() >= 4 && args[1] == "--screenshots")
        return seqlens::ui::runScreenshotTour(window, args[3], args[2]);
    window.show();
    if (args.size() >= 2 && args[1] == "--demo")
        window.openDemoProject(args.size() >= 3 ? args[2] : QString());
    else if (args.size() >= 2)
        window.openProject(args[1]);
    return app.exec();
}
