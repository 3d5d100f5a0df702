package org.eemqtt.broker.domain;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class TopicsTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "a/b", "a//b", "/", "/a", "a/", "$SYS/broker", "sport/tennis/player1", " ",
            "\u00e4/\u6f22"})
    void validNames(String topic) {
        assertThat(Topics.isValidName(topic)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "#", "+", "a/#", "a/+/b", "a#", "a+", "a/\u0000", "\u0000"})
    void invalidNames(String topic) {
        assertThat(Topics.isValidName(topic)).isFalse();
    }

    @org.junit.jupiter.api.Test
    void nullIsNeitherNameNorFilter() {
        assertThat(Topics.isValidName(null)).isFalse();
        assertThat(Topics.isValidFilter(null)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"#", "a/#", "+", "a/+/b", "+/+", "a//b", "/", "/+", "+/#", "$SYS/#", "a/b/c", "+/",
            "a/+"})
    void validFilters(String filter) {
        assertThat(Topics.isValidFilter(filter)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a#", "a/#/b", "a+", "+a", "a/b+", "#/", "##", "a/\u0000", "\u0000", "++",
            "a/#/#"})
    void invalidFilters(String filter) {
        assertThat(Topics.isValidFilter(filter)).isFalse();
    }

    @ParameterizedTest(name = "{0} matches {1}")
    @CsvSource(delimiter = '|', value = {
            "a/b|a/b",
            "#|a",
            "#|a/b/c",
            "#|/",
            "a/#|a",
            "a/#|a/b",
            "a/#|a/b/c",
            "a/#|a/",
            "+|a",
            "+/+|a/b",
            "+/+|/",
            "/+|/x",
            "a/+/b|a/x/b",
            "a/+/b|a//b",
            "a//b|a//b",
            "+/#|a/b/c",
            "$SYS/#|$SYS",
            "$SYS/#|$SYS/broker/load",
            "$SYS/+|$SYS/uptime",
    })
    void matching(String filter, String topic) {
        assertThat(Topics.matches(filter, topic)).isTrue();
    }

    @ParameterizedTest(name = "{0} does not match {1}")
    @CsvSource(delimiter = '|', value = {
            "a/b|a",
            "a|a/b",
            "a/b|a/c",
            "+|a/b",
            "+|/x",
            "/+|x",
            "a/+|a",
            "a/+|a/b/c",
            "a/+/b|a/b",
            "a/#|b",
            "a/#|ab",
            "#|$SYS",
            "#|$SYS/broker",
            "+/broker|$SYS/broker",
            "+/+|$SYS/broker",
            "+/#|$SYS/broker",
            "a/b|A/b",
            "a/b|a/b/",
    })
    void notMatching(String filter, String topic) {
        assertThat(Topics.matches(filter, topic)).isFalse();
    }
}
