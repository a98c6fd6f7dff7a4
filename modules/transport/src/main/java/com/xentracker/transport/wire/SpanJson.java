package com.xentracker.transport.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.xentracker.core.activity.Activity;
import com.xentracker.core.activity.ActivityState;
import com.xentracker.core.activity.Span;
import com.xentracker.core.activity.WebPage;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The JSON shape of a core {@link Span}. Core's package is exported but not opened, and Jackson cannot map
 * {@code Optional} without an extra module, so spans travel through these package-private records (in this package,
 * which is opened to Jackson) instead of being mapped reflectively.
 *
 * <pre>{"start":"…Z","end":"…Z","activity":{"state":"ACTIVE","application":"xterm","executable":"/usr/bin/xterm","title":"…"}}</pre>
 *
 * <p>A state this version does not know (from a newer agent) is read as {@link ActivityState#UNKNOWN} <em>without</em>
 * application, executable and title: we cannot tell whether the new state may carry them (it could be a kind of
 * exclusion), so only the time is kept.
 */
record SpanJson(Instant start, Instant end, ActivityJson activity) {

    SpanJson {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        Objects.requireNonNull(activity, "activity");
    }

    static SpanJson of(Span span) {
        Activity activity = span.activity();
        return new SpanJson(span.start(), span.end(), new ActivityJson(activity.state().name(),
                activity.application(), activity.executable(), activity.title().orElse(null),
                activity.page().map(WebPage::domain).orElse(null),
                activity.page().flatMap(WebPage::url).orElse(null)));
    }

    Span toSpan() {
        Optional<ActivityState> state = WireEnums.known(ActivityState.class, activity.state());
        if (state.isEmpty()) {
            return Span.of(start, end, Activity.of(ActivityState.UNKNOWN));
        }
        Optional<WebPage> page = activity.domain() == null ? Optional.empty()
                : Optional.of(new WebPage(activity.domain(), Optional.ofNullable(activity.url())));
        return Span.of(start, end, new Activity(state.get(), activity.application(), activity.executable(),
                Optional.ofNullable(activity.title()), page));
    }

    /**
     * {@code title}, {@code domain} and {@code url} are omitted when absent (the policy does not collect them, or no
     * browser page), and may be null on input (also from agents older than web pages). A URL needs a domain.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ActivityJson(String state, String application, String executable, String title, String domain,
            String url) {
        ActivityJson {
            WireEnums.requireName(state, "state");
            Objects.requireNonNull(application, "application");
            Objects.requireNonNull(executable, "executable");
            if (url != null && domain == null) {
                throw new IllegalArgumentException("a span's url needs its domain");
            }
        }
    }
}
