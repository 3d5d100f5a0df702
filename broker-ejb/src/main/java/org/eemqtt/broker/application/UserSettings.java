package org.eemqtt.broker.application;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eemqtt.api.Setting;

import java.util.Optional;
import java.util.function.Function;

/** The settings of users and logins, read once at start. */
public record UserSettings(String adminPassword, String guestPassword, int loginMaxFailures, int loginBlockSeconds) {

    public static UserSettings load() {
        Config config = ConfigProvider.getConfig(UserSettings.class.getClassLoader());
        Function<String, Optional<String>> lookup = key -> config.getOptionalValue(key, String.class);
        return new UserSettings(Setting.ADMIN_PASSWORD.value(lookup), Setting.GUEST_PASSWORD.value(lookup),
                Setting.LOGIN_MAX_FAILURES.intValue(lookup), Setting.LOGIN_BLOCK_SECONDS.intValue(lookup));
    }
}
