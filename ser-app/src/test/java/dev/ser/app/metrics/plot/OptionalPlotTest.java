package dev.ser.app.metrics.plot;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What AWT throws where it cannot draw becomes a warning; the JVM's own failures do not. */
class OptionalPlotTest {
    final ByteArrayOutputStream warnings = new ByteArrayOutputStream();
    final PrintStream err = new PrintStream(warnings, true, StandardCharsets.UTF_8);

    String warned() { return warnings.toString(StandardCharsets.UTF_8); }

    @Test
    @Tag("plots")  // it draws: the GPU check's runtime has no java.desktop (PlotsTest)
    void aChartThatCanBeDrawnIsWrittenWithoutAWord(@TempDir Path dir) {
        Path png = dir.resolve("chart.png");
        assertTrue(OptionalPlot.write(png, () -> ConfusionMatrixPlot.write(png, new int[][] {{1, 0}, {0, 1}}, java.util.List.of("a", "b"), "t"), err));
        assertTrue(Files.exists(png));
        assertEquals("", warned());
    }

    @Test
    void aRuntimeWithoutJavaDesktopIsAWarningThatSaysSo() {
        Path png = Path.of("run", "training-curves.png");
        assertFalse(OptionalPlot.write(png, () -> { throw new NoClassDefFoundError("java/awt/Color"); }, err));
        assertTrue(warned().startsWith("warning: " + png + " not drawn (NoClassDefFoundError: java/awt/Color); everything else is written."), warned());
        assertTrue(warned().contains("java.desktop"), warned());
    }

    @Test
    void aMachineWithoutFontsIsAWarningThatSaysWhatToInstall() {
        Path png = Path.of("run", "test-confusion.png");
        // what OpenJDK throws on a container with no fonts
        assertFalse(OptionalPlot.write(png, () -> { throw new Error("Fontconfig head is null, check your fonts or fonts configuration"); }, err));
        assertTrue(warned().contains("(Error: Fontconfig head is null"), warned());
        assertTrue(warned().contains("apt install fontconfig fonts-dejavu-core"), warned());
        assertFalse(OptionalPlot.write(png, () -> { throw new java.io.UncheckedIOException(new java.io.IOException("No space left on device")); }, err));
    }

    @Test
    void runningOutOfMemoryIsNotSwallowed() {
        assertThrows(OutOfMemoryError.class, () -> OptionalPlot.write(Path.of("x.png"), () -> { throw new OutOfMemoryError("Java heap space"); }, err));
        assertEquals("", warned());
    }
}
