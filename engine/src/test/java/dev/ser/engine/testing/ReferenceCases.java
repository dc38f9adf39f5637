package dev.ser.engine.testing;

import dev.ser.engine.io.SafeTensors;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;

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
}
