package com.xentracker.server.export;

/**
 * Neutralises cells a spreadsheet would evaluate (OWASP "CSV injection"): a cell starting with {@code =}, {@code +},
 * {@code -}, {@code @}, a tab or a carriage return gets a leading apostrophe, which Excel, LibreOffice and Google
 * Sheets show as text. Applications, window titles and domains are chosen by whoever runs the software or the web
 * site, so an auditor opening an export must never run what they put there. Every cell of every export passes here;
 * the values the server writes itself (ids, times, non-negative numbers) never start with those characters and are
 * unchanged.
 */
final class CsvCells {

    private CsvCells() {
    }

    /** The cell as written: empty for null, neutralised when a spreadsheet would evaluate it. */
    static String safe(String cell) {
        if (cell == null || cell.isEmpty()) {
            return "";
        }
        return switch (cell.charAt(0)) {
            case '=', '+', '-', '@', '\t', '\r' -> "'" + cell;
            default -> cell;
        };
    }
}
