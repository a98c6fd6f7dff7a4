package com.xentracker.collector.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.xentracker.collector.probe.ForegroundWindow;
import com.xentracker.collector.probe.Observation;
import com.xentracker.core.activity.Activity;
import com.xentracker.core.activity.ActivityState;
import com.xentracker.core.policy.CollectionPolicy;
import com.xentracker.core.policy.RedactionRule;
import com.xentracker.core.policy.WorkingHours;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The rules of privacy at collection, one by one, on observations as the probes deliver them. */
class PolicyEnforcerTest {

    private static final Instant MONDAY_10_BERLIN = Instant.parse("2026-11-30T09:00:00Z");
    private static final Duration ACTIVE = Duration.ofSeconds(2);
    private static final ForegroundWindow MAIL = new ForegroundWindow("thunderbird",
            Optional.of(Path.of("/usr/lib/thunderbird/thunderbird")), OptionalLong.of(4711),
            Optional.of("Re: salary of Bob Example - Inbox"));

    private final AtomicReference<CollectionPolicy> policy = new AtomicReference<>(CollectionPolicy.defaults());
    private final AtomicReference<Optional<Instant>> pausedUntil = new AtomicReference<>(Optional.empty());

    private PolicyEnforcer enforcer(LocalLimits limits) {
        return PolicyEnforcer.create(policy::get, pausedUntil::get, limits);
    }

    private Activity activityOf(ForegroundWindow window) {
        return enforcer(LocalLimits.none()).activityAt(MONDAY_10_BERLIN, () -> Observation.of(Optional.of(window), ACTIVE))
                .orElseThrow();
    }

    private static Builder policy() {
        return new Builder();
    }

    @Test
    void theDefaultPolicyRecordsApplicationAndExecutableButNoTitle() {
        assertThat(activityOf(MAIL)).isEqualTo(
                Activity.active("thunderbird", "/usr/lib/thunderbird/thunderbird", Optional.empty()));
    }

    @Test
    void titlesAreKeptOnlyWhenThePolicyCollectsThemAndTheDeviceDoesNotRefuse() {
        policy.set(policy().titles(true).build());
        assertThat(activityOf(MAIL).title()).contains("Re: salary of Bob Example - Inbox");
        assertThat(enforcer(new LocalLimits(false)).activityAt(MONDAY_10_BERLIN,
                () -> Observation.of(Optional.of(MAIL), ACTIVE)).orElseThrow().title()).isEmpty();
    }

    @Test
    void redactionRulesApplyInOrderEachToTheResultOfTheOneBefore() {
        policy.set(policy().titles(true).redactions(
                RedactionRule.of("(?i)salary", "[topic]"),
                RedactionRule.of("Bob \\w+", "[person]"),
                RedactionRule.of("Re: \\[topic\\] of \\[person\\]", "Re: $0!")).build());

        assertThat(activityOf(MAIL).title()).contains("Re: Re: [topic] of [person]! - Inbox");
    }

    @Test
    void aRedactionThatFailsDropsTheWholeTitle() {
        policy.set(policy().titles(true).redactions(
                RedactionRule.of("salary", "[topic]"),
                RedactionRule.of("Bob", "$3")).build()); // the pattern has no group 3

        assertThat(activityOf(MAIL).title()).isEmpty();
        assertThat(activityOf(MAIL).application()).isEqualTo("thunderbird");
    }

    @Test
    @Timeout(20)
    void aCatastrophicallyBacktrackingRedactionDropsTheTitleInsteadOfHangingTheAgent() {
        // seconds to hours on a title like this one: the engine tries every way of splitting it into 11 parts
        policy.set(policy().titles(true).redactions(RedactionRule.of("(.*?,){11}P", "x")).build());
        ForegroundWindow window = new ForegroundWindow("xterm", Optional.empty(), OptionalLong.empty(),
                Optional.of("1,".repeat(40)));

        assertThat(activityOf(window).title()).isEmpty();
    }

    @Test
    void aTitleRedactedToNothingIsNoTitle() {
        policy.set(policy().titles(true).redactions(RedactionRule.of(".*", "")).build());
        assertThat(activityOf(MAIL).title()).isEmpty();
    }

    @Test
    void anExcludedApplicationIsOnlyExcludedTimeWhateverTheCaseOfItsNameOrExecutable() {
        policy.set(policy().titles(true).excluded("ThunderBird").build());
        assertThat(activityOf(MAIL)).isEqualTo(Activity.of(ActivityState.EXCLUDED));

        policy.set(policy().titles(true).excluded("keepass.EXE").build());
        ForegroundWindow vault = new ForegroundWindow("KeePass Password Safe",
                Optional.of(Path.of("/opt/KeePass/KeePass.exe")), OptionalLong.empty(),
                Optional.of("Database.kdbx"));
        assertThat(activityOf(vault)).isEqualTo(Activity.of(ActivityState.EXCLUDED));

        policy.set(policy().excluded("keepass").build());
        assertThat(activityOf(vault)).isEqualTo(Activity.of(ActivityState.EXCLUDED));
        assertThat(activityOf(MAIL).state()).isEqualTo(ActivityState.ACTIVE);
    }

    @Test
    void outsideWorkingHoursNothingIsRecordedAndTheDesktopIsNotObserved() {
        // Monday 09:00-12:00 in Berlin; 09:00 UTC is 10:00 in Berlin
        policy.set(policy().workingHours(ZoneId.of("Europe/Berlin"), DayOfWeek.MONDAY, "09:00", "12:00").build());
        PolicyEnforcer enforcer = enforcer(LocalLimits.none());

        assertThat(enforcer.activityAt(MONDAY_10_BERLIN, () -> Observation.of(Optional.of(MAIL), ACTIVE))).isPresent();
        assertThat(enforcer.activityAt(Instant.parse("2026-11-30T07:59:59Z"), PolicyEnforcerTest::mustNotLook)).isEmpty();
        assertThat(enforcer.activityAt(Instant.parse("2026-11-30T08:00:00Z"), () -> Observation.of(Optional.of(MAIL),
                ACTIVE))).isPresent(); // the start is inside
        assertThat(enforcer.activityAt(Instant.parse("2026-11-30T11:00:00Z"), PolicyEnforcerTest::mustNotLook))
                .isEmpty(); // the end is outside
        assertThat(enforcer.activityAt(Instant.parse("2026-12-01T09:00:00Z"), PolicyEnforcerTest::mustNotLook))
                .isEmpty(); // Tuesday has no working hours
    }

    @Test
    void workingHoursFollowTheirZoneAcrossADstChange() {
        // 09:00-17:00 Berlin time on Mondays: 08:00 UTC in winter, 07:00 UTC in summer
        policy.set(policy().workingHours(ZoneId.of("Europe/Berlin"), DayOfWeek.MONDAY, "09:00", "17:00").build());
        PolicyEnforcer enforcer = enforcer(LocalLimits.none());
        Supplier<Observation> look = () -> Observation.of(Optional.of(MAIL), ACTIVE);

        assertThat(enforcer.activityAt(Instant.parse("2026-03-23T07:30:00Z"), look)).isEmpty(); // 08:30 CET
        assertThat(enforcer.activityAt(Instant.parse("2026-03-30T07:30:00Z"), look)).isPresent(); // 09:30 CEST
    }

    @Test
    void privateTimeIsPausedTimeWithoutLookingAtTheDesktop() {
        policy.set(policy().privateTime(true).build());
        pausedUntil.set(Optional.of(MONDAY_10_BERLIN.plusSeconds(60)));
        PolicyEnforcer enforcer = enforcer(LocalLimits.none());

        assertThat(enforcer.activityAt(MONDAY_10_BERLIN, PolicyEnforcerTest::mustNotLook))
                .contains(Activity.of(ActivityState.PAUSED));
        assertThat(enforcer.activityAt(MONDAY_10_BERLIN.plusSeconds(60), () -> Observation.of(Optional.of(MAIL), ACTIVE)))
                .hasValueSatisfying(activity -> assertThat(activity.state()).isEqualTo(ActivityState.ACTIVE));
    }

    @Test
    void privateTimeIsIgnoredWhenThePolicyDoesNotAllowIt() {
        pausedUntil.set(Optional.of(Instant.MAX));
        assertThat(activityOf(MAIL).state()).isEqualTo(ActivityState.ACTIVE);
    }

    @Test
    void noInputForThePolicysIdleThresholdIsIdleWithoutAnApplication() {
        policy.set(policy().idle(Duration.ofMinutes(5)).build());
        PolicyEnforcer enforcer = enforcer(LocalLimits.none());

        assertThat(enforcer.activityAt(MONDAY_10_BERLIN, () -> Observation.of(Optional.of(MAIL), Duration.ofMinutes(4))))
                .hasValueSatisfying(activity -> assertThat(activity.state()).isEqualTo(ActivityState.ACTIVE));
        assertThat(enforcer.activityAt(MONDAY_10_BERLIN, () -> Observation.of(Optional.of(MAIL), Duration.ofMinutes(5))))
                .contains(Activity.of(ActivityState.IDLE));
    }

    @Test
    void aLockedSessionIsLockedNotIdle() {
        PolicyEnforcer enforcer = enforcer(LocalLimits.none());
        assertThat(enforcer.activityAt(MONDAY_10_BERLIN, () -> Observation.ofLockedSession(Duration.ofHours(1))))
                .contains(Activity.of(ActivityState.LOCKED));
        assertThat(enforcer.activityAt(MONDAY_10_BERLIN, () -> Observation.ofLockedSession(Duration.ZERO)))
                .contains(Activity.of(ActivityState.LOCKED));
    }

    @Test
    void privateTimeOutranksALockedSession() {
        policy.set(policy().privateTime(true).build());
        pausedUntil.set(Optional.of(Instant.MAX));
        assertThat(enforcer(LocalLimits.none()).activityAt(MONDAY_10_BERLIN,
                () -> Observation.ofLockedSession(Duration.ZERO))).contains(Activity.of(ActivityState.PAUSED));
    }

    @Test
    void noFocusedWindowWithRecentInputIsTheBareDesktop() {
        assertThat(enforcer(LocalLimits.none()).activityAt(MONDAY_10_BERLIN,
                () -> Observation.of(Optional.empty(), ACTIVE))).contains(Activity.active("", "", Optional.empty()));
    }

    @Test
    void aNewPolicyAppliesFromTheNextCall() {
        PolicyEnforcer enforcer = enforcer(LocalLimits.none());
        Supplier<Observation> look = () -> Observation.of(Optional.of(MAIL), ACTIVE);
        assertThat(enforcer.activityAt(MONDAY_10_BERLIN, look).orElseThrow().title()).isEmpty();

        policy.set(policy().titles(true).build());
        assertThat(enforcer.activityAt(MONDAY_10_BERLIN, look).orElseThrow().title()).isPresent();
        assertThat(enforcer.policy()).isSameAs(policy.get());
    }

    @Test
    void theDesktopIsObservedOncePerDecision() {
        AtomicInteger looks = new AtomicInteger();
        enforcer(LocalLimits.none()).activityAt(MONDAY_10_BERLIN, () -> {
            looks.incrementAndGet();
            return Observation.of(Optional.of(MAIL), ACTIVE);
        });
        assertThat(looks).hasValue(1);
    }

    private static Observation mustNotLook() {
        return fail("the desktop must not be observed here");
    }

    /** Policies for the tests; version 1 unless said otherwise. */
    private static final class Builder {
        private boolean titles;
        private List<RedactionRule> redactions = List.of();
        private Set<String> excluded = Set.of();
        private Optional<WorkingHours> hours = Optional.empty();
        private boolean privateTime;
        private Duration idle = CollectionPolicy.DEFAULT_IDLE_THRESHOLD;

        Builder titles(boolean on) {
            titles = on;
            return this;
        }

        Builder redactions(RedactionRule... rules) {
            redactions = List.of(rules);
            return this;
        }

        Builder excluded(String... applications) {
            excluded = Set.of(applications);
            return this;
        }

        Builder workingHours(ZoneId zone, DayOfWeek day, String from, String to) {
            hours = Optional.of(WorkingHours.of(zone, Map.of(day,
                    List.of(WorkingHours.Interval.of(LocalTime.parse(from), LocalTime.parse(to))))));
            return this;
        }

        Builder privateTime(boolean allowed) {
            privateTime = allowed;
            return this;
        }

        Builder idle(Duration threshold) {
            idle = threshold;
            return this;
        }

        CollectionPolicy build() {
            return new CollectionPolicy(1, titles, redactions, excluded, hours, privateTime, idle, false, false);
        }
    }
}
