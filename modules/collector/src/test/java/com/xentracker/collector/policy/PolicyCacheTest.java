package com.xentracker.collector.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.xentracker.core.policy.CollectionPolicy;
import com.xentracker.core.policy.RedactionRule;
import com.xentracker.core.policy.WorkingHours;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyCacheTest {

    @TempDir
    Path dataDir;

    /** Every field set, with text that needs escaping. */
    private static CollectionPolicy everything(long version) {
        return new CollectionPolicy(version, true,
                List.of(RedactionRule.of("(?i)\\b[A-Z0-9._%+-]+@[A-Z0-9.-]+\\.[A-Z]{2,}\\b", "<mail>"),
                        RedactionRule.of("^ #!= :\\\\ ", " $0\t\n"), RedactionRule.of("Gehälter – 给", "")),
                Set.of("KeePassXC", "signal desktop", "Banking.exe"),
                Optional.of(WorkingHours.of(ZoneId.of("America/Santiago"), Map.of(
                        DayOfWeek.MONDAY, List.of(WorkingHours.Interval.of(LocalTime.of(8, 30), LocalTime.of(12, 0)),
                                WorkingHours.Interval.of(LocalTime.of(13, 0), LocalTime.of(17, 45, 30))),
                        DayOfWeek.SATURDAY, List.of()))),
                true, Duration.ofSeconds(150), true, true);
    }

    @Test
    void withNothingCachedTheDefaultsApply() {
        PolicyCache cache = PolicyCache.open(dataDir);

        assertThat(cache.current()).isEqualTo(CollectionPolicy.defaults());
        assertThat(cache.get()).isSameAs(cache.current());
        assertThat(cache.file()).doesNotExist();
    }

    @Test
    void aNewerPolicySurvivesARestartExactly() {
        CollectionPolicy policy = everything(7);

        assertThat(PolicyCache.open(dataDir).offer(policy)).isTrue();

        assertThat(PolicyCache.open(dataDir).current()).isEqualTo(policy);
    }

    @Test
    void anOlderOrEqualVersionIsIgnoredAlsoAfterARestart() {
        PolicyCache cache = PolicyCache.open(dataDir);
        cache.offer(everything(7));
        CollectionPolicy older = new CollectionPolicy(6, false, List.of(), Set.of(), Optional.empty(), false,
                Duration.ofMinutes(3), false, false);
        CollectionPolicy sameVersion = new CollectionPolicy(7, false, List.of(), Set.of(), Optional.empty(), false,
                Duration.ofMinutes(3), false, false);

        assertThat(cache.offer(older)).isFalse();
        assertThat(cache.offer(sameVersion)).isFalse();
        assertThat(cache.current()).isEqualTo(everything(7));

        PolicyCache restarted = PolicyCache.open(dataDir);
        assertThat(restarted.current()).isEqualTo(everything(7));
        assertThat(restarted.offer(older)).isFalse();
        assertThat(restarted.offer(everything(8))).isTrue();
        assertThat(PolicyCache.open(dataDir).current().version()).isEqualTo(8);
    }

    @Test
    void replacingThePolicyLeavesNoTemporaryFilesBehind() throws Exception {
        PolicyCache cache = PolicyCache.open(dataDir);
        for (long version = 1; version <= 5; version++) {
            cache.offer(everything(version));
        }

        try (Stream<Path> files = Files.list(dataDir)) {
            assertThat(files.map(path -> path.getFileName().toString())).containsExactly(cache.file().getFileName()
                    .toString());
        }
    }

    @Test
    void anUnreadableCacheIsMovedAsideAndTheDefaultsApplyUntilTheServerSendsThePolicyAgain() throws Exception {
        PolicyCache cache = PolicyCache.open(dataDir);
        cache.offer(everything(7));
        Files.writeString(cache.file(), "{\"version\": 7, \"collectWindowTitles\": \"maybe\"}", StandardCharsets.UTF_8);

        PolicyCache restarted = PolicyCache.open(dataDir);

        assertThat(restarted.current()).isEqualTo(CollectionPolicy.defaults());
        assertThat(cache.file().resolveSibling(cache.file().getFileName() + ".unreadable")).exists();
        assertThat(restarted.offer(everything(7))).isTrue();
    }

    @Test
    void aCacheThatIsNotACompletePolicyIsSetAside() throws Exception {
        for (String damaged : List.of("", "{\"version\": 9", "{\"version\": 9, \"collectWindowTitles\": true}",
                "{\"version\":9,\"collectWindowTitles\":true,\"titleRedactions\":[{\"pattern\":\"([unclosed\","
                        + "\"replacement\":\"\"}],\"excludedApplications\":[],\"privateTimeAllowed\":false,"
                        + "\"idleThreshold\":\"PT3M\",\"audibleKeepsActive\":false,\"collectFullUrls\":false}")) {
            Files.writeString(dataDir.resolve(PolicyCache.FILE), damaged, StandardCharsets.UTF_8);

            assertThat(PolicyCache.open(dataDir).current()).as(damaged).isEqualTo(CollectionPolicy.defaults());
            assertThat(dataDir.resolve(PolicyCache.FILE)).doesNotExist();
        }
    }
}
