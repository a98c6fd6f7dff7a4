package com.xentracker.server.cli;

import java.time.DateTimeException;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * How long something lives, as an operator types it: days ({@code 30d}), hours ({@code 12h}) or an ISO-8601 duration
 * ({@code PT12H}, {@code P30D}). Minutes or months are left to ISO-8601 on purpose: "30m" reads as either.
 */
final class Lifetimes implements ITypeConverter<Duration> {

    private static final Pattern SHORT = Pattern.compile("(\\d{1,6})\\s*([dh])");

    @Override
    public Duration convert(String value) {
        return parse(value);
    }

    static Duration parse(String value) {
        String text = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
        Matcher matcher = SHORT.matcher(text);
        if (matcher.matches()) {
            long amount = Long.parseLong(matcher.group(1));
            return matcher.group(2).equals("d") ? Duration.ofDays(amount) : Duration.ofHours(amount);
        }
        if (text.startsWith("p")) {
            try {
                return Duration.parse(text.toUpperCase(Locale.ROOT));
            } catch (DateTimeException e) {
                // fall through to the explanation
            }
        }
        throw new TypeConversionException("'" + value + "' is not a duration: use days or hours such as 30d or 12h,"
                + " or ISO-8601 such as PT12H or PT30M");
    }
}
