package dev.ser.audio.features;

import dev.ser.engine.io.SafeTensors;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/** librosa 0.11's yin on speech and a synthetic glide: test resource {@code librosa-pitch/yin.safetensors.gz}. */
public final class YinReference {
    private YinReference() {}

    public static SafeTensors load() throws IOException {
        String resource = "/librosa-pitch/yin.safetensors.gz";
        try (InputStream in = YinReference.class.getResourceAsStream(resource)) {
            if (in == null) throw new IOException("missing test resource " + resource + ": run make_yin_reference.py beside it");
            try (GZIPInputStream gz = new GZIPInputStream(in)) {
                return SafeTensors.parse(gz.readAllBytes(), Path.of(resource));
            }
        }
    }
}
