package com.xentracker.portal.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class BarChartTest {

    private static List<BarChart.Bar> days(long... minutes) {
        List<BarChart.Bar> bars = new ArrayList<>();
        for (int i = 0; i < minutes.length; i++) {
            bars.add(BarChart.Bar.of("Day " + (i + 1), Duration.ofMinutes(minutes[i])));
        }
        return bars;
    }

    @Test
    void shortDurationsAreCountedInMinutesLongOnesInHoursWithRoundSteps() {
        BarChart minutes = BarChart.columns("a", "t", "d", "Day", days(0, 45, 100));
        BarChart hours = BarChart.columns("b", "t", "d", "Day", days(60, 25 * 60));

        assertThat(minutes.valueAxis()).isEqualTo("Active time (minutes)");
        assertThat(minutes.ticks()).extracting(BarChart.Tick::label).containsExactly("0", "20", "40", "60", "80",
                "100");
        assertThat(hours.valueAxis()).isEqualTo("Active time (hours)");
        assertThat(hours.ticks()).extracting(BarChart.Tick::label).containsExactly("0", "5", "10", "15", "20", "25");
    }

    @Test
    void columnHeightsAreProportionalAndTheLargestReachesTheTopTick() {
        BarChart chart = BarChart.columns("a", "t", "d", "Day", days(0, 50, 100));
        List<BarChart.DrawnBar> bars = chart.bars();

        assertThat(bars.get(0).height()).isZero();
        assertThat(bars.get(2).height()).isEqualTo(chart.plotBottom() - chart.plotTop());
        assertThat(bars.get(1).height()).isCloseTo(bars.get(2).height() / 2, org.assertj.core.data.Offset.offset(0.1));
        assertThat(bars.get(2).y()).isEqualTo(chart.plotTop());
        assertThat(chart.ticks().get(chart.ticks().size() - 1).position()).isEqualTo(chart.plotTop());
        assertThat(bars).allSatisfy(bar -> assertThat(bar.x() + bar.width()).isLessThanOrEqualTo(chart.plotRight()));
    }

    @Test
    void ninetyDaysLabelEveryFewDaysEndingWithTheLastButKeepEveryBar() {
        long[] minutes = new long[90];
        java.util.Arrays.fill(minutes, 30);
        BarChart chart = BarChart.columns("a", "t", "d", "Day", days(minutes));

        assertThat(chart.bars()).hasSize(90);
        assertThat(chart.bars().get(89).labelShown()).isTrue();
        long shown = chart.bars().stream().filter(BarChart.DrawnBar::labelShown).count();
        assertThat(shown).isBetween(8L, 15L);
        // labels never closer than their width
        List<Double> xs = chart.bars().stream().filter(BarChart.DrawnBar::labelShown).map(BarChart.DrawnBar::labelX)
                .toList();
        for (int i = 1; i < xs.size(); i++) {
            assertThat(xs.get(i) - xs.get(i - 1)).isGreaterThanOrEqualTo(44 - 0.1);
        }
    }

    @Test
    void rowsStackDownwardsWithLongNamesShortenedAndTheWholeNameInTheTooltip() {
        String longName = "a-very-long-application-name-that-goes-on";
        BarChart chart = BarChart.rows("r", "t", "d", "Application", List.of(
                new BarChart.Bar(longName, Duration.ofHours(3), "productive", ""),
                BarChart.Bar.of("short", Duration.ofHours(1))));

        BarChart.DrawnBar first = chart.bars().get(0);
        BarChart.DrawnBar second = chart.bars().get(1);
        assertThat(first.y()).isLessThan(second.y());
        assertThat(first.width()).isEqualTo(chart.plotRight() - chart.plotLeft());
        assertThat(second.width()).isCloseTo(first.width() / 3, org.assertj.core.data.Offset.offset(0.1));
        assertThat(first.shortLabel()).hasSize(22).endsWith("…");
        assertThat(first.tooltip()).isEqualTo(longName + ": 3 h 00 min");
        assertThat(first.styleClass()).isEqualTo("bar productive");
        assertThat(second.styleClass()).isEqualTo("bar");
        assertThat(chart.height()).isGreaterThan(chart.plotBottom());
        assertThat(chart.valueAxisTransform()).isEmpty();
    }

    @Test
    void anAllZeroChartStillHasAnAxisAndCoordinatesUseADotWhateverTheLocale() {
        Locale before = Locale.getDefault();
        Locale.setDefault(Locale.GERMANY);
        try {
            BarChart chart = BarChart.columns("z", "t", "d", "Day", days(0, 0, 0));

            assertThat(chart.ticks()).extracting(BarChart.Tick::label).containsExactly("0", "1");
            assertThat(chart.bars()).allSatisfy(bar -> assertThat(bar.height()).isZero());
            assertThat(BarChart.number(12.25)).isEqualTo("12.3");
            assertThat(BarChart.number(640)).isEqualTo("640");
            assertThat(chart.valueAxisTransform()).isEqualTo("rotate(-90 14 126)");
        } finally {
            Locale.setDefault(before);
        }
    }

    @Test
    void aChartNeedsBarsAndBarsNeedNonNegativeDurations() {
        assertThatThrownBy(() -> BarChart.rows("e", "t", "d", "Application", List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BarChart.Bar.of("x", Duration.ofMinutes(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void durationsAreSpokenInTheLargestSensibleUnits() {
        assertThat(Durations.spoken(Duration.ofSeconds(30))).isEqualTo("30 s");
        assertThat(Durations.spoken(Duration.ofMinutes(45))).isEqualTo("45 min");
        assertThat(Durations.spoken(Duration.ofMinutes(25 * 60 + 5))).isEqualTo("25 h 05 min");
    }
}
