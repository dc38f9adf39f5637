package dev.ser.engine.io;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Files that hold several parts (an ensemble's members): copying tensors across and reading one part back. */
class SafeTensorsPartTest {
    @Test void aPartIsItsPrefixedTensorsUnderTheirOwnNames() throws Exception {
        SafeTensors one = SafeTensors.parse(new SafeTensors.Writer()
                .put("w", new int[]{2, 2}, new float[]{1, 2, 3, 4})
                .put("mean", new int[]{3}, new double[]{0.5, -1, 1e-300})
                .put("count", new int[]{1}, new long[]{Long.MAX_VALUE})
                .metadata("k", "v").toBytes(), null);
        SafeTensors.Writer both = new SafeTensors.Writer();
        for (String prefix : new String[]{"member.0.", "member.1."})
            for (String name : one.names()) both.put(prefix + name, one.entry(name));
        SafeTensors all = SafeTensors.parse(both.toBytes(), null);
        assertEquals(6, all.names().size());

        SafeTensors part = all.part("member.1.", Map.of("k", "v1"));
        assertEquals(Set.of("w", "mean", "count"), part.names());
        assertArrayEquals(new float[]{1, 2, 3, 4}, part.floats("w"));
        assertArrayEquals(new int[]{2, 2}, part.shape("w"));
        assertArrayEquals(new double[]{0.5, -1, 1e-300}, part.doubles("mean"));
        assertArrayEquals(new long[]{Long.MAX_VALUE}, part.longs("count"));
        assertEquals(Map.of("k", "v1"), part.metadata());
        assertEquals(Set.of(), all.part("member.2.", Map.of()).names());
    }
}
