package com.xentracker.transport.wire;

import com.xentracker.core.activity.Activity;
import com.xentracker.core.activity.ActivityState;
import com.xentracker.core.activity.Gap;
import com.xentracker.core.activity.Span;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * How a {@link SpanBatch} is read (it is written as the record itself, with the same field names). Exists so that a
 * gap whose reason this version does not know becomes an {@code UNKNOWN} span over the same time rather than a
 * rejected batch (see {@link GapJson}). {@code WireCodec} fills in {@code gaps}, {@code agentState} and {@code erasuresDone} when an older
 * agent left them out.
 */
record SpanBatchJson(UUID deviceId, Long sequence, List<Span> spans, List<GapJson> gaps, AgentState agentState,
        List<UUID> erasuresDone) {

    SpanBatchJson {
        WireEnums.required(deviceId, "deviceId");
        WireEnums.required(sequence, "sequence");
        WireEnums.required(spans, "spans");
        WireEnums.required(gaps, "gaps");
        WireEnums.required(agentState, "agentState");
        WireEnums.required(erasuresDone, "erasuresDone");
        if (spans.contains(null)) {
            throw new IllegalArgumentException("field 'spans' holds a null");
        }
        if (erasuresDone.contains(null)) {
            throw new IllegalArgumentException("field 'erasuresDone' holds a null");
        }
        if (gaps.contains(null)) {
            throw new IllegalArgumentException("field 'gaps' holds a null");
        }
    }

    SpanBatch toBatch() {
        List<Span> allSpans = new ArrayList<>(spans);
        List<Gap> knownGaps = new ArrayList<>(gaps.size());
        for (GapJson gap : gaps) {
            Optional<Gap> known = gap.toGap();
            if (known.isPresent()) {
                knownGaps.add(known.get());
            } else {
                allSpans.add(Span.of(gap.from(), gap.to(), Activity.of(ActivityState.UNKNOWN)));
            }
        }
        return new SpanBatch(deviceId, sequence, allSpans, knownGaps, agentState, erasuresDone);
    }
}
