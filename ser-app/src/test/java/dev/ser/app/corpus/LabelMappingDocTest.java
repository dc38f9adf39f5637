package dev.ser.app.corpus;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** docs/corpora.md carries the label table; this keeps it equal to the one the code uses. */
class LabelMappingDocTest {
    @Test void docsShowTheTableTheCodeUses() throws IOException {
        Path doc = Path.of("..", "docs", "corpora.md"); // tests run in the module folder
        String text = Files.readString(doc);
        assertTrue(text.contains(LabelMapping.markdownTable()),
                "docs/corpora.md's label table differs from LabelMapping.TABLE; paste LabelMapping.markdownTable() into it:\n"
                        + LabelMapping.markdownTable());
    }
}
