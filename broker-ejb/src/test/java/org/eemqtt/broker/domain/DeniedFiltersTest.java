package org.eemqtt.broker.domain;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DeniedFiltersTest {

    private final DeniedFilters denied = DeniedFilters.parse(" secret/# , +/private ,$SYS/#");

    @Test
    void publishingToADeniedTopicIsRefused() {
        assertThat(denied.mayPublish("c", "u", "secret")).isFalse(); // '#' includes the parent level
        assertThat(denied.mayPublish("c", "u", "secret/plans")).isFalse();
        assertThat(denied.mayPublish("c", "u", "alice/private")).isFalse();
        assertThat(denied.mayPublish("c", "u", "$SYS/uptime")).isFalse();
        assertThat(denied.mayPublish("c", "u", "public/news")).isTrue();
        assertThat(denied.mayPublish("c", "u", "alice/private/x")).isTrue();
    }

    @Test
    void subscribingWithinADeniedFilterIsRefused() {
        assertThat(denied.maySubscribe("c", "u", "secret/#")).isFalse();
        assertThat(denied.maySubscribe("c", "u", "secret/+/x")).isFalse();
        assertThat(denied.maySubscribe("c", "u", "bob/private")).isFalse();
        assertThat(denied.maySubscribe("c", "u", "+/private")).isFalse();
        assertThat(denied.maySubscribe("c", "u", "$SYS/+")).isFalse();
    }

    @Test
    void widerFiltersAreAllowedBecauseNoMessageReachesADeniedTopic() {
        assertThat(denied.maySubscribe("c", "u", "#")).isTrue();
        assertThat(denied.maySubscribe("c", "u", "+/+")).isTrue();
        assertThat(denied.maySubscribe("c", "u", "public/#")).isTrue();
    }

    @Test
    void emptySettingAllowsEverything() {
        DeniedFilters none = DeniedFilters.parse("");
        assertThat(none.mayPublish("c", "u", "secret")).isTrue();
        assertThat(none.maySubscribe("c", "u", "#")).isTrue();
    }

    @Test
    void invalidDeniedFilterIsAConfigurationError() {
        assertThatThrownBy(() -> DeniedFilters.parse("a/#/b")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a/#/b");
    }

    @Test
    void coversFollowsTheDollarRule() {
        assertThat(Topics.covers("#", "$SYS/x")).isFalse();
        assertThat(Topics.covers("+/x", "$SYS/x")).isFalse();
        assertThat(Topics.covers("$SYS/#", "$SYS/x")).isTrue();
        assertThat(Topics.covers("a/+", "a/#")).isFalse();
        assertThat(Topics.covers("a/#", "a")).isTrue();
    }
}
