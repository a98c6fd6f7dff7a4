package com.xentracker.collector.buffer;

import com.xentracker.core.activity.Gap;
import java.util.Objects;

/** A gap record (time whose spans the buffer had to drop) and whether the server has it. */
public record RecordedGap(Gap gap, Delivery delivery) {

    public RecordedGap {
        Objects.requireNonNull(gap, "gap");
        Objects.requireNonNull(delivery, "delivery");
    }
}
