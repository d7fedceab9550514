// SPDX-License-Identifier: GPL-3.0-or-later
// Workbench responsiveness, measured on the offscreen platform:
//   --project P --run R [--switches N]: time to switch the inspector to another applicant
//       (explain, header, timeline, heatmap and event table, replotted), over N random picks;
//   --train-config C [--train-epochs E]: while the Train view trains on a worker thread, a 5 ms
//       timer on the UI thread records the longest gap between its ticks (a stalled UI thread).
// Prints figures; asserts nothing (benchmarks are read, not run as tests).
#include "workbench/inspector_view.h"
#include "workbench/project_session.h"
#include "workbench/train_view.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <random>

using namespace seqlens::ui;

namespace {

QString option(const QStringList &args, const QString &name, const QString &fallback = {})
{
    const int i = args.indexOf(name);
    return i >= 0 && i + 1 < args.size() ? args[i + 1] : fallback;
}

double quantile(std::vector<double> v, double q)
{
    std::sort(v.begin(), v.end());
    return v.empty() ? 0.0 : v[std::min(v.size() - 1, size_t(q * double(v.size())))];
}

int inspectorBench(const QString &project, qint64 run, int switches)
{
    ProjectSession session;
    session.open(project);
    InspectorView view(session);
    view.resize(1400, 900);
    view.show();
    QElapsedTimer load;
    load.start();
    QSignalSpy loaded(&view, &InspectorView::explorerLoaded);
    view.loadRun(run);
    if (!loaded.wait(600000) || !loaded.at(0).at(0).toBool()) {
        std::fprintf(stderr, "could not load run %lld\n", (long long)run);
        return 1;
    }
    const auto explorer = session.explorer();
    std::printf(
        "inspector: %lld applicants loaded in %.2f s (model, data, scores; worker thread)\n",
        (long long)explorer->count(), double(load.elapsed()) / 1000.0);
    std::mt19937_64 rng(1);
    std::vector<double> ms;
    size_t events = 0;
    for (int i = 0; i < switches; ++i) {
        const int64_t a = int64_t(rng() % uint64_t(explorer->count()));
        QElapsedTimer t;
        t.start();
        view.showApplicantIndex(a);
        QApplication::processEvents();
        ms.push_back(double(t.nsecsElapsed()) / 1e6);
        events += view.current()->events.size();
    }
    std::printf("inspector switch over %d random applicants (mean %.1f events): p50 %.2f ms, p95 "
                "%.2f ms, max %.2f ms\n",
                switches, double(events) / switches, quantile(ms, 0.5), quantile(ms, 0.95),
                quantile(ms, 1.0));
    return 0;
}

int stallBench(const QString &config, int epochs)
{
    QTemporaryDir dir;
    ProjectSession session;
    session.open(dir.path() + "/bench.seqlens");
    session.setConfigPath(config);
    TrainView view(session);
    view.resize(1200, 800);
    view.show();
    view.setEpochs(epochs);
    std::vector<double> gaps;
    QElapsedTimer clock;
    QTimer probe;
    probe.setInterval(5);
    QObject::connect(&probe, &QTimer::timeout, [&] {
        gaps.push_back(double(clock.nsecsElapsed()) / 1e6);
        clock.restart();
    });
    QSignalSpy finished(&view, &TrainView::trainingFinished);
    QElapsedTimer total;
    total.start();
    clock.start();
    probe.start();
    view.startTraining();
    if (!finished.wait(3600000) || !finished.at(0).at(0).toBool()) {
        std::fprintf(stderr, "training failed\n");
        return 1;
    }
    probe.stop();
    const auto over = std::count_if(gaps.begin(), gaps.end(), [](double g) { return g > 100.0; });
    std::printf("UI thread during training (%d epochs, %.1f s): %zu ticks of a 5 ms timer; gap p50 "
                "%.1f ms, p99 %.1f ms, "
                "max %.1f ms; gaps over 100 ms: %lld\n",
                epochs, double(total.elapsed()) / 1000.0, gaps.size(), quantile(gaps, 0.5),
                quantile(gaps, 0.99), quantile(gaps, 1.0), (long long)over);
    return 0;
}

// The offscreen platform warns on every resize; keep the figures readable.
void quietHandler(QtMsgType type, const QMessageLogContext &, const QString &msg)
{
    if (type != QtDebugMsg && !msg.contains("propagateSizeHints"))
        std::fprintf(stderr, "%s\n", qPrintable(msg));
}

} // namespace

int main(int argc, char **argv)
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    qInstallMessageHandler(quietHandler);
    QApplication app(argc, argv);
    QApplication::setOrganizationName("SeqLensBench");
    const QStringList args = QApplication::arguments();
    int rc = 0;
    if (args.contains("--project"))
        rc |= inspectorBench(option(args, "--project"), option(args, "--run", "1").toLongLong(),
                             option(args, "--switches", "200").toInt());
    if (args.contains("--train-config"))
        rc |= stallBench(option(args, "--train-config"),
                         option(args, "--train-epochs", "2").toInt());
    if (!args.contains("--project") && !args.contains("--train-config"))
        std::fprintf(stderr, "usage: seqlens-ui-bench [--project P --run R [--switches N]] "
                             "[--train-config C [--train-epochs E]]\n");
    return rc;
}
