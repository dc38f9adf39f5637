package dev.ser.app.predict;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TrueLabelsTest {
    @Test
    void ravdessNamesDeclareTheirEmotionOtherNamesNothing() {
        assertEquals(Optional.of("angry"), TrueLabels.of(Path.of("data/Actor_01/03-01-05-01-01-01-01.wav")));
        assertEquals(Optional.of("neutral"), TrueLabels.of(Path.of("03-01-01-01-01-01-02.wav")));
        assertEquals(Optional.of("surprised"), TrueLabels.of(Path.of("/tmp/x/03-01-08-02-02-02-24.wav")));
        assertEquals(Optional.empty(), TrueLabels.of(Path.of("meeting.wav")));
        assertEquals(Optional.empty(), TrueLabels.of(Path.of("angry/a01.wav")), "a label folder or SAVEE's plain form is not trusted");
        assertEquals(Optional.empty(), TrueLabels.of(Path.of("03-01-09-01-01-01-01.wav")), "09 is no RAVDESS emotion");
    }
}
