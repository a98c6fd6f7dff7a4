package com.xentracker.server.account;

import io.nayuki.qrcodegen.QrCode;

/**
 * A QR code as SVG markup, made on the server so that the page needs no script and loads nothing from elsewhere.
 * The encoding is qrcodegen's; the drawing is one path of unit squares. Only attributes, no {@code style}: the
 * portal's Content-Security-Policy allows no inline styles.
 */
final class QrSvg {

    /** The quiet zone the QR specification asks for around the code, in modules. */
    private static final int BORDER = 4;
    /** Rendered width and height in CSS pixels; about 5 px a module for an otpauth URI, easy for a phone camera. */
    private static final int PIXELS = 220;

    private QrSvg() {
    }

    /**
     * The SVG for {@code text}, error correction level M (15 %, enough for a screen). The text itself does not appear
     * in the markup.
     */
    static String of(String text, String label) {
        QrCode qr = QrCode.encodeText(text, QrCode.Ecc.MEDIUM);
        int size = qr.size + BORDER * 2;
        StringBuilder path = new StringBuilder(qr.size * qr.size * 4);
        for (int y = 0; y < qr.size; y++) {
            for (int x = 0; x < qr.size; x++) {
                if (qr.getModule(x, y)) {
                    path.append('M').append(x + BORDER).append(',').append(y + BORDER).append("h1v1h-1z");
                }
            }
        }
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"qr\" viewBox=\"0 0 " + size + " " + size
                + "\" width=\"" + PIXELS + "\" height=\"" + PIXELS + "\" role=\"img\" aria-label=\""
                + escapeAttribute(label) + "\" shape-rendering=\"crispEdges\">"
                + "<rect width=\"" + size + "\" height=\"" + size + "\" fill=\"#ffffff\"/>"
                + "<path d=\"" + path + "\" fill=\"#000000\"/></svg>";
    }

    private static String escapeAttribute(String text) {
        return text.replace("&", "&amp;").replace("\"", "&quot;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
