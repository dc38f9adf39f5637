package dev.ser.app.predict;

import java.util.List;

/** RFC 4180 rows: a cell with a comma, quote or line break is quoted, its quotes doubled. */
final class Csv {
    private Csv() {}

    static String row(List<String> cells) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) sb.append(',');
            String c = cells.get(i);
            if (c.indexOf(',') >= 0 || c.indexOf('"') >= 0 || c.indexOf('\n') >= 0 || c.indexOf('\r') >= 0)
                sb.append('"').append(c.replace("\"", "\"\"")).append('"');
            else sb.append(c);
        }
        return sb.toString();
    }
}
