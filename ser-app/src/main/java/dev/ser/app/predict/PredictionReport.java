package dev.ser.app.predict;

import dev.ser.engine.io.Json;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Batch predictions as text: an aligned table for people, JSON (one list of objects) or CSV for programs.
 * Files that failed are reported in place (JSON, CSV) or listed under the table with their reason.
 *
 * <p>Columns: file, the true label when the file name declares one ({@link TrueLabels}; only when some file
 * does), the predicted label, its confidence, then either every class's probability in the model's order,
 * or with {@code top} less than the number of classes, the {@code top} most probable classes.
 */
public final class PredictionReport {
    private final List<String> labels;
    private final int top;

    /** @param top how many classes to show; 0 or >= the number of classes shows all, in the model's order */
    public PredictionReport(List<String> labels, int top) {
        this.labels = List.copyOf(labels);
        this.top = top <= 0 || top >= labels.size() ? 0 : top;
    }

    public void write(List<Predictor.Outcome> outcomes, String format, PrintStream out) {
        switch (format) {
            case "table" -> table(outcomes, out);
            case "json" -> out.println(Json.writePretty(json(outcomes)));
            case "csv" -> csv(outcomes, out);
            default -> throw new IllegalArgumentException("format must be table, json or csv; got '" + format + "'");
        }
        out.flush();
    }

    private static String trueLabel(Predictor.Outcome o) { return TrueLabels.of(o.file()).orElse(null); }

    private void table(List<Predictor.Outcome> outcomes, PrintStream out) {
        boolean anyTrue = outcomes.stream().anyMatch(o -> trueLabel(o) != null);
        List<String> header = new ArrayList<>(List.of("file"));
        if (anyTrue) header.add("true");
        header.addAll(List.of("label", "confidence"));
        if (top == 0) header.addAll(labels);
        else for (int k = 1; k <= top; k++) header.add("#" + k);
        header.add("note");
        List<List<String>> rows = new ArrayList<>();
        List<Predictor.Outcome.Failed> failed = new ArrayList<>();
        for (Predictor.Outcome o : outcomes) {
            if (!(o instanceof Predictor.Outcome.Ok ok)) {
                failed.add((Predictor.Outcome.Failed) o);
                continue;
            }
            Prediction p = ok.prediction();
            List<String> row = new ArrayList<>(List.of(o.file().toString()));
            String truth = trueLabel(o);
            if (anyTrue) row.add(truth == null ? "-" : truth);
            row.addAll(List.of(p.label(), f3(p.confidence())));
            if (top == 0) for (double q : p.probabilities()) row.add(f3(q));
            else for (int i : p.top(top)) row.add(labels.get(i) + " " + f3(p.probabilities()[i]));
            List<String> notes = new ArrayList<>();
            if (truth != null && !truth.equals(p.label())) notes.add("wrong");
            if (truth != null && !labels.contains(truth)) notes.add("'" + truth + "' is not a class of this model");
            if (p.averaged()) notes.add(String.format(Locale.ROOT, "%.1f s: mean of %d windows", p.seconds(), p.windows()));
            row.add(String.join("; ", notes));
            rows.add(row);
        }
        if (!rows.isEmpty()) Table.print(header, rows, out);
        if (!failed.isEmpty()) {
            if (!rows.isEmpty()) out.println();
            out.println(failed.size() + " file(s) not predicted:");
            for (var f : failed) out.println("  " + f.file() + ": " + f.error().reason());
        }
    }

    private List<Object> json(List<Predictor.Outcome> outcomes) {
        List<Object> list = new ArrayList<>();
        for (Predictor.Outcome o : outcomes) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("file", o.file().toString());
            String truth = trueLabel(o);
            if (truth != null) m.put("true", truth);
            switch (o) {
                case Predictor.Outcome.Ok ok -> putPrediction(m, ok.prediction());
                case Predictor.Outcome.Failed f -> {
                    m.put("error", f.error().kind().word);
                    m.put("reason", f.error().reason());
                }
            }
            list.add(m);
        }
        return list;
    }

    /** label, confidence, probabilities (all, model order), top (when asked), frames, windows, seconds. */
    void putPrediction(Map<String, Object> m, Prediction p) {
        m.put("label", p.label());
        m.put("confidence", p.confidence());
        Map<String, Object> probs = new LinkedHashMap<>();
        for (int i = 0; i < labels.size(); i++) probs.put(labels.get(i), p.probabilities()[i]);
        m.put("probabilities", probs);
        if (top > 0) {
            List<Object> t = new ArrayList<>();
            for (int i : p.top(top)) {
                Map<String, Object> e = new LinkedHashMap<>();  // label first, for people reading the JSON
                e.put("label", labels.get(i));
                e.put("probability", p.probabilities()[i]);
                t.add(e);
            }
            m.put("top", t);
        }
        m.put("frames", p.frames());
        m.put("windows", p.windows());
        m.put("seconds", p.seconds());
    }

    private void csv(List<Predictor.Outcome> outcomes, PrintStream out) {
        List<String> header = new ArrayList<>(List.of("file", "true", "label", "confidence"));
        header.addAll(probabilityColumns());
        header.addAll(List.of("windows", "seconds", "error"));
        out.println(Csv.row(header));
        for (Predictor.Outcome o : outcomes) {
            List<String> row = new ArrayList<>(List.of(o.file().toString(), TrueLabels.of(o.file()).orElse("")));
            switch (o) {
                case Predictor.Outcome.Ok ok -> {
                    Prediction p = ok.prediction();
                    row.addAll(List.of(p.label(), f6(p.confidence())));
                    row.addAll(probabilityCells(p));
                    row.addAll(List.of(Integer.toString(p.windows()), String.format(Locale.ROOT, "%.3f", p.seconds()), ""));
                }
                case Predictor.Outcome.Failed f -> {
                    row.addAll(List.of("", ""));
                    for (int i = 0; i < probabilityColumns().size(); i++) row.add("");
                    String reason = f.error().reason(), word = f.error().kind().word;
                    // "silent: ..." and "too short: ..." name their kind already; "unreadable" reasons do not
                    row.addAll(List.of("", "", reason.startsWith(word.replace('-', ' ') + ":") ? reason : word + ": " + reason));
                }
            }
            out.println(Csv.row(row));
        }
    }

    /** Per-class columns, or top_k_label / top_k_probability pairs. */
    List<String> probabilityColumns() {
        List<String> cols = new ArrayList<>();
        if (top == 0) for (String l : labels) cols.add("p_" + l);
        else for (int k = 1; k <= top; k++) cols.addAll(List.of("top" + k + "_label", "top" + k + "_probability"));
        return cols;
    }

    List<String> probabilityCells(Prediction p) {
        List<String> cells = new ArrayList<>();
        if (top == 0) for (double q : p.probabilities()) cells.add(f6(q));
        else for (int i : p.top(top)) cells.addAll(List.of(labels.get(i), f6(p.probabilities()[i])));
        return cells;
    }

    static String f3(double v) { return String.format(Locale.ROOT, "%.3f", v); }

    static String f6(double v) { return String.format(Locale.ROOT, "%.6f", v); }
}
