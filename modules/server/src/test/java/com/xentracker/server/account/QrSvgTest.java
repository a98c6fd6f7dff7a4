package com.xentracker.server.account;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.Result;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import java.util.Arrays;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class QrSvgTest {

    private static final String URI = "otpauth://totp/Xentracker:Acme%20GmbH%20(alice%40acme.example)"
            + "?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Xentracker&algorithm=SHA1&digits=6&period=30";

    @Test
    void theDrawnCodeReadsBackAsTheUriWithAnotherLibrary() throws Exception {
        String svg = QrSvg.of(URI, "QR code");

        assertThat(decode(svg)).isEqualTo(URI);
    }

    @Test
    void theMarkupHasNoStyleNoScriptAndNotTheUriAsText() {
        String svg = QrSvg.of(URI, "QR code \"for\" <you>");

        assertThat(svg).startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\"").endsWith("</svg>")
                .doesNotContain("style").doesNotContain("<script").doesNotContain("secret")
                .contains("aria-label=\"QR code &quot;for&quot; &lt;you&gt;\"").contains("role=\"img\"");
    }

    /** Rasterizes the path of unit squares at 4 px a module and reads it with zxing. */
    private static String decode(String svg) throws Exception {
        Matcher box = Pattern.compile("viewBox=\"0 0 (\\d+) (\\d+)\"").matcher(svg);
        assertThat(box.find()).isTrue();
        int modules = Integer.parseInt(box.group(1));
        int scale = 4;
        int width = modules * scale;
        int[] pixels = new int[width * width];
        Arrays.fill(pixels, 0xffffffff);
        Matcher square = Pattern.compile("M(\\d+),(\\d+)h1v1h-1z").matcher(svg);
        int squares = 0;
        while (square.find()) {
            squares++;
            int x = Integer.parseInt(square.group(1));
            int y = Integer.parseInt(square.group(2));
            for (int dy = 0; dy < scale; dy++) {
                for (int dx = 0; dx < scale; dx++) {
                    pixels[(y * scale + dy) * width + x * scale + dx] = 0xff000000;
                }
            }
        }
        assertThat(squares).isGreaterThan(100);
        Result result = new QRCodeReader().decode(
                new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(width, width, pixels))),
                Map.of(DecodeHintType.PURE_BARCODE, Boolean.TRUE));
        return result.getText();
    }
}
