package dev.ser.engine.testing;

import dev.ser.engine.io.Json;
import dev.ser.engine.io.SafeTensors;
import dev.ser.engine.tensor.Tensor;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;

/** The PyTorch reference cases copied from ../shared/reference/torch into test resources. */
public final class ReferenceCases {
    private ReferenceCases() {}

    public static SafeTensors load(String name) {
        String resource = "/reference/torch/" + name + ".safetensors";
        try (InputStream in = ReferenceCases.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("missing test resource " + resource);
            return SafeTensors.parse(in.readAllBytes(), Path.of(resource));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Map<String, Object> caseOf(SafeTensors st) {
        return Json.parseObject(st.metadata().get("case"));
    }

    /** A float64 tensor from the case, optionally a leaf that requires grad. */
    public static Tensor tensor(SafeTensors st, String name, boolean requiresGrad) {
        return Tensor.of(st.doubles(name), st.shape(name)).requiresGrad(requiresGrad).name(name);
    }

    /** max |a - b| / max(max |b|, tiny): the per-tensor relative error the parity tests bound. */
    public static double relError(double[] ours, double[] ref) {
        if (ours.length != ref.length) throw new AssertionError("length " + ours.length + " vs " + ref.length);
        double maxDiff = 0, maxRef = 0;
        for (int i = 0; i < ref.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(ours[i] - ref[i]));
            maxRef = Math.max(maxRef, Math.abs(ref[i]));
        }
        return maxDiff / Math.max(maxRef, 1e-300);
    }
}
