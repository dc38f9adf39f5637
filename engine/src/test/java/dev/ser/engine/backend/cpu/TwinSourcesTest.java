package dev.ser.engine.backend.cpu;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The float32 LSTM kernels are their float64 twins with {@code float} for {@code double}: the F64 one is
 * checked against PyTorch and central differences, and the F32 one inherits that only while the two stay
 * the same code. Java has no generics over primitive arrays, so rather than a template this test holds the
 * twins equal, token for token, outside comments (the F32 side calls the vector cell and sgemm).
 */
class TwinSourcesTest {
    private static final Path DIR = Path.of("src/main/java/dev/ser/engine/backend/cpu");

    private static String code(String file, boolean f32) throws Exception {
        String s = Files.readString(DIR.resolve(file));
        s = s.replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\\n]*", "");
        if (f32)
            s = s.replace("float", "double").replace("F32", "F64").replace("Float", "Double").replace("sgemm", "dgemm")
                    .replace("forwardFast(", "forward(").replace("backwardFast(", "backward(");
        return s.replaceAll("\\s+", " ").trim();
    }

    @ParameterizedTest
    @ValueSource(strings = {"LstmF", "LstmDirectionF"})
    void float32KernelIsTheFloat64KernelWithFloats(String stem) throws Exception {
        assertEquals(code(stem + "64.java", false), code(stem + "32.java", true),
                stem + "32.java has drifted from " + stem + "64.java: make the same change in both");
    }
}
