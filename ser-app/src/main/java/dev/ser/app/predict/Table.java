package dev.ser.app.predict;

import java.io.PrintStream;
import java.util.List;

/** Columns padded to their widest cell, two spaces apart; numbers and words left-aligned alike (labels vary). */
final class Table {
    private Table() {}

    static void print(List<String> header, List<List<String>> rows, PrintStream out) {
        int[] w = new int[header.size()];
        for (int c = 0; c < w.length; c++) w[c] = header.get(c).length();
        for (List<String> r : rows) for (int c = 0; c < w.length; c++) w[c] = Math.max(w[c], r.get(c).length());
        out.println(line(header, w));
        for (List<String> r : rows) out.println(line(r, w));
    }

    static String line(List<String> cells, int[] w) {
        StringBuilder sb = new StringBuilder();
        for (int c = 0; c < cells.size(); c++) {
            if (c > 0) sb.append("  ");
            sb.append(c + 1 < cells.size() ? pad(cells.get(c), w[c]) : cells.get(c));
        }
        return sb.toString().stripTrailing();
    }

    static String pad(String s, int width) { return s.length() >= width ? s : s + " ".repeat(width - s.length()); }
}
