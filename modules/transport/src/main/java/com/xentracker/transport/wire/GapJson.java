package com.xentracker.transport.wire;

import com.xentracker.core.activity.Gap;
import com.xentracker.core.activity.GapReason;
import java.time.Instant;
import java.util.Optional;

/**
 * The JSON shape of a core {@link Gap}: {@code {"from":"…Z","to":"…Z","reason":"BUFFER_FULL"}}.
 *
 * <p>Core's {@link GapReason} has no neutral value, so a reason this version does not know (from a newer agent) is
 * not turned into a gap at all: {@link SpanBatchJson} records that stretch as an {@code UNKNOWN} span instead. The
 * loss stays visible and nothing false is said about its cause.
 */
record GapJson(Instant from, Instant to, String reason) {

    GapJson {
        WireEnums.required(from, "from");
        WireEnums.required(to, "to");
        WireEnums.requireName(reason, "reason");
        if (to.isBefore(from)) {
            throw new IllegalArgumentException("a gap ends before it starts");
        }
    }

    static GapJson of(Gap gap) {
        return new GapJson(gap.from(), gap.to(), gap.reason().name());
    }

    /** The gap, or empty when its reason is unknown to this version. */
    Optional<Gap> toGap() {
        return WireEnums.known(GapReason.class, reason).map(known -> Gap.of(from, to, known));
    }
}
