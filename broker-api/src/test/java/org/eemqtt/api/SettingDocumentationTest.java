package org.eemqtt.api;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's settings table is the documented home of configuration: it must name every setting, with its default. */
class SettingDocumentationTest {

    private static final Pattern ROW = Pattern.compile("^\\| `([a-z.]+)` \\| ([^|]*) \\|", Pattern.MULTILINE);

    @Test
    void readmeListsEverySettingWithItsDefault() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        for (Setting setting : Setting.values()) {
            Matcher row = ROW.matcher(readme);
            String documentedDefault = null;
            while (row.find()) {
                if (row.group(1).equals(setting.key())) {
                    documentedDefault = row.group(2).trim();
                }
            }
            assertThat(documentedDefault).as("README row for %s", setting.key()).isNotNull();
            String expected = setting.defaultValue().isEmpty() ? "*(empty)*" : "`" + setting.defaultValue() + "`";
            assertThat(documentedDefault).as("README default of %s", setting.key()).startsWith(expected);
        }
    }

    @Test
    void environmentVariableNamesFollowMicroProfileConfigMapping() {
        // MicroProfile Config maps MQTT_TCP_PORT to mqtt.tcp.port: keys must stay lower case with dots only.
        for (Setting setting : Setting.values()) {
            assertThat(setting.key()).matches("mqtt(\\.[a-z]+)+");
        }
    }
}
