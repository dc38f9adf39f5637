package dev.ser.app.train;

import java.io.PrintStream;
import java.util.Locale;

/**
 * One status line per epoch on standard error. On a terminal it redraws in place after each batch
 * (loss, accuracy, learning rate, ETA); in a log (CI, a pipe) it prints only the finished epoch's line.
 */
final class ProgressBar {
    private final PrintStream out;
    private final boolean interactive;
    private final int width = 24;

    ProgressBar(PrintStream out, boolean interactive) {
        this.out = out;
        this.interactive = interactive;
    }

    static ProgressBar stderr() {
        return new ProgressBar(System.err, System.console() != null && System.getenv("CI") == null);
    }

    void batch(int epoch, int epochs, int done, int total, double loss, double accuracy, double lr, double secondsSoFar) {
        if (!interactive) return;
        int filled = (int) Math.round((double) width * done / total);
        double eta = done == 0 ? 0 : secondsSoFar / done * (total - done);
        out.printf(Locale.ROOT, "\repoch %d/%d [%s%s] %d/%d loss %.4f acc %.3f lr %.2e ETA %s   ", epoch, epochs,
                "#".repeat(filled), ".".repeat(width - filled), done, total, loss, accuracy, lr, clock(eta));
        out.flush();
    }

    void epoch(EpochMetrics m, int epochs, boolean best, double etaSeconds) {
        if (interactive) out.print("\r" + " ".repeat(100) + "\r");
        String val = Double.isNaN(m.valLoss()) ? "no validation (refit)"
                : String.format(Locale.ROOT, "val loss %.4f acc %.3f UAR %.3f", m.valLoss(), m.valAccuracy(), m.valUar());
        out.printf(Locale.ROOT, "epoch %d/%d  train loss %.4f acc %.3f | %s | lr %.2e | %.1fs%s | ETA %s%n",
                m.epoch(), epochs, m.trainLoss(), m.trainAccuracy(), val, m.lr(), m.seconds(), best ? "  *best*" : "", clock(etaSeconds));
        out.flush();
    }

    static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
