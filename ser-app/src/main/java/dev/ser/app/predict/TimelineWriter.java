package dev.ser.app.predict;

import dev.ser.engine.io.Json;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A streaming timeline, one line per window, flushed at once so a pipe reader sees each window as it is
 * decided: a table with fixed column widths (the rows are not known in advance), JSON lines, or CSV.
 * Windows without a prediction (silence, a last window too short) carry their reason instead.
 */
public final class TimelineWriter implements Consumer<StreamPredictor.Segment> {
    private final PrintStream out;
    private final String format;
    private final PredictionReport cells;
    private final int[] widths;
    private boolean headerDone;

    public TimelineWriter(PrintStream out, String format, List<String> labels, int top) {
        if (!List.of("table", "jsonl", "csv").contains(format))
            throw new IllegalArgumentException("with --stream the format must be table, jsonl or csv; got '" + format + "'");
        this.out = out;
        this.format = format;
        this.cells = new PredictionReport(labels, top);
        // Rows are printed as they come, so widths are fixed up front from what a cell can hold.
        int labelWidth = Math.max("(too-short)".length(), labels.stream().mapToInt(String::length).max().orElse(5));
        List<String> h = tableHeader();
        widths = new int[h.size()];
        for (int c = 0; c < widths.length; c++)
            widths[c] = Math.max(h.get(c).length(), c < 2 ? 7 : c == 2 ? labelWidth : c == 3 ? 5 : h.get(c).startsWith("#") ? labelWidth + 6 : 5);
    }

    private List<String> header() {
        List<String> h = new ArrayList<>(List.of("start", "end", "label", "confidence"));
        h.addAll(cells.probabilityColumns());
        return h;
    }

    @Override public void accept(StreamPredictor.Segment s) {
        switch (format) {
            case "jsonl" -> out.println(Json.write(json(s)));
            case "csv" -> {
                if (!headerDone) out.println(Csv.row(csvHeader()));
                out.println(Csv.row(csvRow(s)));
            }
            default -> {
                if (!headerDone) out.println(Table.line(tableHeader(), widths));
                out.println(Table.line(tableRow(s), widths));
            }
        }
        headerDone = true;
        out.flush();
    }

    private Map<String, Object> json(StreamPredictor.Segment s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("start", round3(s.start()));
        m.put("end", round3(s.end()));
        if (s.prediction() != null) {
            cells.putPrediction(m, s.prediction());
            m.remove("seconds");
        } else {
            m.put("skipped", s.skipped().kind().word);
            m.put("reason", s.skipped().reason());
        }
        return m;
    }

    private List<String> tableHeader() {
        List<String> h = new ArrayList<>(List.of("start", "end", "label", "confidence"));
        // The table's top-k cells are "label 0.123"; its per-class columns are the class names.
        List<String> cols = cells.probabilityColumns();
        if (cols.getFirst().startsWith("p_")) for (String c : cols) h.add(c.substring(2));
        else for (int k = 1; k <= cols.size() / 2; k++) h.add("#" + k);
        return h;
    }

    private List<String> tableRow(StreamPredictor.Segment s) {
        List<String> row = new ArrayList<>(List.of(seconds(s.start()), seconds(s.end())));
        if (s.prediction() == null) {
            row.add("(" + s.skipped().kind().word + ")");
            return row;
        }
        Prediction p = s.prediction();
        row.addAll(List.of(p.label(), PredictionReport.f3(p.confidence())));
        List<String> c = cells.probabilityCells(p);
        if (c.size() == p.labels().size() && cells.probabilityColumns().getFirst().startsWith("p_")) {
            for (double q : p.probabilities()) row.add(PredictionReport.f3(q));
        } else {
            for (int i = 0; i < c.size(); i += 2) row.add(c.get(i) + " " + PredictionReport.f3(Double.parseDouble(c.get(i + 1))));
        }
        return row;
    }

    private List<String> csvHeader() {
        List<String> h = header();
        h.add("skipped");
        return h;
    }

    private List<String> csvRow(StreamPredictor.Segment s) {
        List<String> row = new ArrayList<>(List.of(String.format(Locale.ROOT, "%.3f", s.start()), String.format(Locale.ROOT, "%.3f", s.end())));
        if (s.prediction() == null) {
            row.addAll(List.of("", ""));
            for (int i = 0; i < cells.probabilityColumns().size(); i++) row.add("");
            row.add(s.skipped().kind().word);
        } else {
            row.addAll(List.of(s.prediction().label(), PredictionReport.f6(s.prediction().confidence())));
            row.addAll(cells.probabilityCells(s.prediction()));
            row.add("");
        }
        return row;
    }

    private static String seconds(double t) { return String.format(Locale.ROOT, "%.2f", t); }

    /** Times to the millisecond: the edges are whole samples at the model's rate, so this loses nothing a reader needs. */
    private static double round3(double t) { return Math.round(t * 1000) / 1000.0; }
}
