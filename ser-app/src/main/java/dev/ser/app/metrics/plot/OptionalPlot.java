package dev.ser.app.metrics.plot;

import java.io.PrintStream;
import java.nio.file.Path;

/**
 * A chart is a run's extra: the model, metrics and reports are written whether or not it can be drawn. Java draws
 * with AWT, which fails on machines a training run is at home on: a jlinked runtime without {@code java.desktop}
 * ({@link NoClassDefFoundError}), a container with no fonts or no fontconfig ({@link Error} "Fontconfig head is
 * null", "Probable fatal error: No fonts found"), a missing native library ({@link UnsatisfiedLinkError}). Those,
 * and a failed PNG write, become one warning naming the file and the fix; the run goes on. Only the JVM's own
 * failures (out of memory) pass through.
 */
public final class OptionalPlot {
    private OptionalPlot() {}

    /** Runs {@code draw}, which writes {@code png}; returns whether it did, warning on {@code err} when not. */
    public static boolean write(Path png, Runnable draw, PrintStream err) {
        try {
            draw.run();
            return true;
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            err.println("warning: " + png + " not drawn (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + "); everything else is written. " + HINT);
            return false;
        }
    }

    static final String HINT = "Charts need a Java runtime with the java.desktop module and at least one font "
            + "(on Debian/Ubuntu: apt install fontconfig fonts-dejavu-core).";
}
