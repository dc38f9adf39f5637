package dev.ser.cuda.device;

/** Byte counts for people: "1.5 GiB (1610612736 bytes)" keeps the exact figure next to the readable one. */
final class Sizes {
    private Sizes() {}

    private static final String[] UNITS = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};

    static String human(long bytes) {
        if (bytes < 1024) return bytes + " bytes";
        int unit = 0;
        double value = bytes;
        while (value >= 1024 && unit < UNITS.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(java.util.Locale.ROOT, "%.1f %s (%d bytes)", value, UNITS[unit], bytes);
    }
}
