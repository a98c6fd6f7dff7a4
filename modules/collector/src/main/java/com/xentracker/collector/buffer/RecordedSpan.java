package com.xentracker.collector.buffer;

import com.xentracker.core.activity.Span;
import java.util.Objects;

/**
 * A span as the buffer holds it, for the employee's own view.
 *
 * @param span     what was recorded (the title only when the policy let it be stored)
 * @param open     whether it is the span being extended right now (as of the agent's last poll)
 * @param delivery whether, and when, the server acknowledged it
 */
public record RecordedSpan(Span span, boolean open, Delivery delivery) {

    public RecordedSpan {
        Objects.requireNonNull(span, "span");
        Objects.requireNonNull(delivery, "delivery");
    }
}
