package com.xentracker.core.policy;

/**
 * A title as the regex engine reads it, with a deadline: a redaction pattern from the server that backtracks
 * catastrophically (e.g. {@code (a+)+$}) would otherwise hold the recording thread for minutes or forever. The
 * engine reads characters through {@link #charAt(int)} all the time, so checking the clock there (every 1024 reads)
 * bounds the time any one match can take.
 */
final class BoundedCharSequence implements CharSequence {

    /** Thrown when a match runs past its deadline. */
    static final class DeadlineExceeded extends RuntimeException {
        DeadlineExceeded() {
            super("redaction took too long", null, false, false);
        }
    }

    private final CharSequence text;
    private final long deadlineNanos;
    private int reads;

    BoundedCharSequence(CharSequence text, long deadlineNanos) {
        this.text = text;
        this.deadlineNanos = deadlineNanos;
    }

    @Override
    public char charAt(int index) {
        if ((++reads & 1023) == 0 && System.nanoTime() - deadlineNanos > 0) {
            throw new DeadlineExceeded();
        }
        return text.charAt(index);
    }

    @Override
    public int length() {
        return text.length();
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        return new BoundedCharSequence(text.subSequence(start, end), deadlineNanos);
    }

    @Override
    public String toString() {
        return text.toString();
    }
}
