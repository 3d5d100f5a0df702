package org.eemqtt.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResultsTest {

    @Test
    void jsonLineRoundTrips() {
        RunResult r = new RunResult().put("label", "ours \"x\"").put("qos", 1).put("del_rate", 12345.6789)
                .put("cpu_s_per_m", Double.NaN).put("ok", true);
        String line = RunResult.PREFIX + r.json();
        assertThat(line).contains("\"del_rate\":12345.679").contains("\"cpu_s_per_m\":null");
        RunResult back = RunResult.parse(line);
        assertThat(back.str("label")).isEqualTo("ours \"x\"");
        assertThat(back.num("qos")).isEqualTo(1.0);
        assertThat(back.num("del_rate")).isCloseTo(12345.679, within(1e-9));
        assertThat(back.num("cpu_s_per_m")).isNaN();
    }

    @Test
    void mediansAndPerPairRatios() {
        assertThat(MatrixReport.median(List.of(3.0, 1.0, 2.0))).isEqualTo(2.0);
        assertThat(MatrixReport.median(List.of(4.0, 1.0, 2.0, Double.NaN, 3.0))).isEqualTo(2.5);
        assertThat(MatrixReport.median(List.of())).isNaN();
        List<RunResult> rs = new ArrayList<>();
        double[][] pairs = {{100, 200}, {300, 100}, {90, 100}};
        for (int i = 0; i < pairs.length; i++) {
            rs.add(new RunResult().put("key", "k").put("label", "ours").put("pair", i + 1).put("del_rate", pairs[i][0]));
            rs.add(new RunResult().put("key", "k").put("label", "mosquitto").put("pair", i + 1)
                    .put("del_rate", pairs[i][1]));
        }
        rs.add(new RunResult().put("key", "k").put("label", "ours").put("pair", 4).put("error", "boom"));
        // ratios 0.5, 3.0, 0.9 -> median 0.9 (not the ratio of medians, 100/100 = 1.0)
        assertThat(MatrixReport.medianRatio(rs, "k", "del_rate")).isCloseTo(0.9, within(1e-9));
        assertThat(MatrixReport.median(rs, "k", "ours", "del_rate")).isEqualTo(100.0);
    }

    @Test
    void optionsParseBothFormsAndRefuseUnknownNames() {
        Options o = Options.parse(List.of("--qos=2", "--scenario", "fan-out", "--mqtt", "5"));
        assertThat(o.qos()).isEqualTo(2);
        assertThat(o.scenario()).isEqualTo(Options.Scenario.FAN_OUT);
        assertThat(o.mqtt5()).isTrue();
        assertThat(o.integer("payload")).isEqualTo(64);
        assertThat(o.with("payload", 128).integer("payload")).isEqualTo(128);
        assertThatThrownBy(() -> Options.parse(List.of("--qso", "1"))).hasMessageContaining("--qso");
        assertThatThrownBy(() -> Options.parse(List.of("--qos", "3")).qos()).hasMessageContaining("0, 1 or 2");
    }

    @Test
    void idleConnectionsAreSpreadOverEnoughSourceAddresses() {
        assertThat(IdleRun.sourceAddresses(5_000, 0)).isEqualTo(1);
        assertThat(IdleRun.sourceAddresses(50_000, 0)).isEqualTo(3);
        assertThat(IdleRun.sourceAddresses(50_000, 5)).isEqualTo(5);
        assertThat(IdleRun.sourceAddress(0, 3)).isEqualTo("127.0.0.2");
        assertThat(IdleRun.sourceAddress(4, 3)).isEqualTo("127.0.0.3");
    }
}
