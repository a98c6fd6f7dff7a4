package com.xentracker.collector.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.xentracker.collector.ProbeUnavailableException;
import com.xentracker.collector.probe.CaptureAvailability.Reason;
import com.xentracker.collector.probe.CaptureAvailability.State;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The availability, selection and observation records keep their promises. */
class CaptureAvailabilityTest {

    @Test
    void aReasonIsGivenExactlyWhenCaptureIsNotFullyAvailable() {
        assertThat(CaptureAvailability.available("everything").reason()).isEmpty();
        assertThat(CaptureAvailability.limited(Reason.WINDOW_TITLE_PERMISSION_MISSING, "no titles").canObserve()).isTrue();
        assertThat(CaptureAvailability.unavailable(Reason.NO_DISPLAY, "no display").canObserve()).isFalse();

        assertThatThrownBy(() -> new CaptureAvailability(State.AVAILABLE, Optional.of(Reason.NO_DISPLAY), "x"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CaptureAvailability(State.LIMITED, Optional.empty(), "x"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CaptureAvailability.unavailable(Reason.NO_DISPLAY, " "))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void everyLegacyExceptionReasonHasANamesakeAndCarriesItsAvailability() {
        for (ProbeUnavailableException.Reason legacy : ProbeUnavailableException.Reason.values()) {
            ProbeUnavailableException e = new ProbeUnavailableException(legacy, "because " + legacy);

            assertThat(e.availability().state()).isEqualTo(State.UNAVAILABLE);
            assertThat(e.availability().reason().map(Reason::name)).contains(legacy.name());
            assertThat(e.availability().explanation()).isEqualTo(e.getMessage());
        }
    }

    @Test
    void theExceptionTakesOnlyAnUnavailability() {
        ProbeUnavailableException e = new ProbeUnavailableException(
                CaptureAvailability.unavailable(Reason.WAYLAND_SESSION, "Wayland"));
        assertThat(e.reason()).isEqualTo(ProbeUnavailableException.Reason.WAYLAND_SESSION);
        assertThat(e).hasMessage("Wayland");

        assertThatThrownBy(() -> new ProbeUnavailableException(
                CaptureAvailability.limited(Reason.WINDOW_TITLE_PERMISSION_MISSING, "no titles")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ProbeUnavailableException(
                CaptureAvailability.unavailable(Reason.WINDOW_TITLE_PERMISSION_MISSING, "no titles")))
                .isInstanceOf(IllegalArgumentException.class);
        // every other reason makes a valid exception
        Arrays.stream(Reason.values()).filter(reason -> reason != Reason.WINDOW_TITLE_PERMISSION_MISSING)
                .forEach(reason -> assertThat(new ProbeUnavailableException(
                        CaptureAvailability.unavailable(reason, "x")).reason().name()).isEqualTo(reason.name()));
    }

    @Test
    void aSelectionHasAProbeExactlyWhenCaptureIsPossible() {
        assertThatThrownBy(() -> new ProbeSelection(Optional.empty(), CaptureAvailability.available("everything")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(ProbeSelection.unavailable(CaptureAvailability.unavailable(Reason.NO_DISPLAY, "no display"))
                .probe()).isEmpty();
    }

    @Test
    void aLockedObservationHasNoForegroundWindowButKeepsItsIdleTime() {
        Observation locked = Observation.ofLockedSession(Duration.ofSeconds(42));
        assertThat(locked.locked()).isTrue();
        assertThat(locked.foreground()).isEmpty();
        assertThat(locked.idle()).isEqualTo(Duration.ofSeconds(42));

        ForegroundWindow window = new ForegroundWindow("xterm", Optional.empty(), OptionalLong.empty(), Optional.empty());
        assertThatThrownBy(() -> new Observation(Optional.of(window), Duration.ZERO, true))
                .isInstanceOf(IllegalArgumentException.class);
        // the two-component forms stay, and mean "not locked"
        assertThat(new Observation(Optional.of(window), Duration.ZERO).locked()).isFalse();
        assertThat(Observation.of(Optional.of(window), Duration.ZERO).locked()).isFalse();
    }
}
