package dev.ser.engine.optim;

import java.util.Map;

/** Reading checkpoint metadata strings with errors that say which key is missing or malformed. */
final class Metadata {
    private Metadata() {}

    static String string(Map<String, String> md, String key) {
        String v = md.get(key);
        if (v == null) throw new IllegalArgumentException("checkpoint metadata lacks '" + key + "'");
        return v;
    }

    /** Doubles are written with Double.toString, which reads back to the same bits (Infinity included). */
    static double number(Map<String, String> md, String key) {
        String v = string(md, key);
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("checkpoint metadata '" + key + "' should be a number, found '" + v + "'");
        }
    }

    static int integer(Map<String, String> md, String key) {
        String v = string(md, key);
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("checkpoint metadata '" + key + "' should be an integer, found '" + v + "'");
        }
    }

    /** Fails unless the checkpoint's schedule is the same class as the one loading it. */
    static void expectType(Map<String, String> md, String type) {
        String saved = md.get(LrSchedule.PREFIX);
        if (saved == null)
            throw new IllegalArgumentException("checkpoint metadata has no schedule state (key '" + LrSchedule.PREFIX
                    + "'); was it saved without one?");
        if (!saved.equals(type))
            throw new IllegalArgumentException("checkpoint holds " + saved + " schedule state, this schedule is " + type
                    + "; build a " + saved + " to resume it");
    }
}
