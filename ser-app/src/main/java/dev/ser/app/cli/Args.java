package dev.ser.app.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Command-line options in the GNU style: {@code --name value}, {@code --name=value}, {@code --flag},
 * and positional arguments. Options are read by name; {@link #finish()} rejects any the command did not
 * read, so a typo ({@code --hop-lenght}) is an error, not silently ignored. Names use dashes where
 * librosa's use underscores ({@code --n-fft} for {@code n_fft}); both spellings are accepted.
 */
public final class Args {
    private final Map<String, String> options = new LinkedHashMap<>();
    private final List<String> positional = new ArrayList<>();
    private final Set<String> read = new LinkedHashSet<>();
    private final Set<String> flagsGiven = new LinkedHashSet<>();

    /** Parses; {@code flagNames} are the options that take no value. */
    public static Args parse(List<String> argv, Set<String> flagNames) {
        Args a = new Args();
        boolean onlyPositional = false;
        for (int i = 0; i < argv.size(); i++) {
            String s = argv.get(i);
            if (onlyPositional || !s.startsWith("--") || s.equals("-")) {
                a.positional.add(s);
                continue;
            }
            if (s.equals("--")) { onlyPositional = true; continue; }
            String name = s.substring(2), value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) { value = name.substring(eq + 1); name = name.substring(0, eq); }
            name = name.replace('_', '-');
            if (flagNames.contains(name)) {
                if (value != null) throw new UsageException("--" + name + " takes no value");
                a.flagsGiven.add(name);
                continue;
            }
            if (value == null) {
                if (i + 1 >= argv.size()) throw new UsageException("--" + name + " needs a value");
                value = argv.get(++i);
            }
            if (a.options.put(name, value) != null) throw new UsageException("--" + name + " is given twice");
        }
        return a;
    }

    public boolean flag(String name) {
        read.add(name);
        return flagsGiven.contains(name);
    }

    public String string(String name, String fallback) {
        read.add(name);
        return options.getOrDefault(name, fallback);
    }

    public String required(String name) {
        read.add(name);
        String v = options.get(name);
        if (v == null) throw new UsageException("--" + name + " is required");
        return v;
    }

    public boolean has(String name) {
        return options.containsKey(name) || flagsGiven.contains(name);
    }

    public int integer(String name, int fallback) {
        String v = string(name, null);
        if (v == null) return fallback;
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " expects an integer, got '" + v + "'");
        }
    }

    public double number(String name, double fallback) {
        String v = string(name, null);
        if (v == null) return fallback;
        try {
            double d = Double.parseDouble(v.trim());
            if (Double.isNaN(d)) throw new NumberFormatException();
            return d;
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " expects a number, got '" + v + "'");
        }
    }

    /** A value that must be one of {@code choices}. */
    public String choice(String name, String fallback, String... choices) {
        String v = string(name, fallback);
        if (v == null) return null;
        for (String c : choices) if (c.equals(v)) return v;
        throw new UsageException("--" + name + " must be one of " + String.join(", ", choices) + "; got '" + v + "'");
    }

    public Path path(String name, Path fallback) {
        String v = string(name, null);
        return v == null ? fallback : Path.of(v);
    }

    public List<String> positional() { return positional; }

    /** Rejects options that the command never asked about. */
    public void finish() {
        List<String> unknown = new ArrayList<>();
        for (String k : options.keySet()) if (!read.contains(k)) unknown.add("--" + k);
        for (String k : flagsGiven) if (!read.contains(k)) unknown.add("--" + k);
        if (!unknown.isEmpty()) throw new UsageException("unknown option" + (unknown.size() > 1 ? "s " : " ") + String.join(", ", unknown));
    }
}
