package com.xentracker.server.ingest;

import com.xentracker.core.activity.Activity;
import com.xentracker.core.activity.ActivityState;
import com.xentracker.core.activity.Gap;
import com.xentracker.core.activity.Span;
import com.xentracker.server.BatchRejectedException;
import com.xentracker.server.PrivateDataInBatchException;
import com.xentracker.transport.envelope.OpenedBatch;
import com.xentracker.transport.wire.SpanBatch;
import com.xentracker.transport.wire.WireCodec;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The content rules of an opened batch, without the database: it reads as a span batch, names the device and
 * sequence it was sent as, keeps its times within 2000 to 2100, and carries no names for excluded or paused time.
 */
final class BatchValidation {

    /** Timestamps outside these bounds come from a broken clock; storing them would distort every report. */
    static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");
    static final Instant LATEST = Instant.parse("2100-01-01T00:00:00Z");
    /** States that keep only the time: the server must never store which application it was. */
    private static final Set<ActivityState> ANONYMOUS_STATES = EnumSet.of(ActivityState.EXCLUDED,
            ActivityState.PAUSED);

    private BatchValidation() {
    }

    /**
     * The batch, if it keeps every rule.
     *
     * @throws com.xentracker.transport.MalformedMessageException when the payload is not a span batch
     * @throws BatchRejectedException      when its device id or sequence differ from the URL's, or a span or gap lies
     *                                     outside 2000 to 2100
     * @throws PrivateDataInBatchException when an excluded or paused span names an application, executable or title
     */
    static ValidBatch validate(UUID deviceId, long sequence, OpenedBatch opened, WireCodec codec) {
        SpanBatch batch = codec.decode(opened.payload(), SpanBatch.class);
        if (!deviceId.equals(batch.deviceId()) || sequence != batch.sequence()) {
            throw new BatchRejectedException("the batch is for device " + batch.deviceId() + " sequence "
                    + batch.sequence() + ", but was sent as device " + deviceId + " sequence " + sequence);
        }
        List<Span> spans = batch.spans();
        for (int i = 0; i < spans.size(); i++) {
            Span span = spans.get(i);
            if (span.start().isBefore(EARLIEST) || span.end().isAfter(LATEST)) {
                throw new BatchRejectedException("the batch has a span outside " + EARLIEST + " to " + LATEST);
            }
            Activity activity = span.activity();
            if (ANONYMOUS_STATES.contains(activity.state()) && (!activity.application().isEmpty()
                    || !activity.executable().isEmpty() || activity.title().isPresent())) {
                // never quote the name: this message goes to logs and back to the agent
                throw new PrivateDataInBatchException("span " + (i + 1) + " of the batch is " + activity.state()
                        + " but names an application, executable or title; excluded and paused time is stored"
                        + " without them, so the whole batch is refused");
            }
        }
        for (Gap gap : batch.gaps()) {
            if (gap.from().isBefore(EARLIEST) || gap.to().isAfter(LATEST)) {
                throw new BatchRejectedException("the batch has a gap outside " + EARLIEST + " to " + LATEST);
            }
        }
        return new ValidBatch(batch, opened.binding().batchId(), opened.signedDigest());
    }
}
