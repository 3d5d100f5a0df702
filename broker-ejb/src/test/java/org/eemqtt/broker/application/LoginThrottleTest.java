package org.eemqtt.broker.application;

import org.eemqtt.api.packet.ConnectReasonCode;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class LoginThrottleTest {

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final LoginThrottle throttle = new LoginThrottle(3, 60_000, now::get);

    @Test
    void anAddressIsRefusedAfterTooManyFailuresWithinTheWindowAndAgainAfterwards() {
        assertThat(throttle.failed("/10.0.0.1:5000")).isFalse();
        assertThat(throttle.failed("/10.0.0.1:5001")).as("the port does not matter").isFalse();
        assertThat(throttle.refused("10.0.0.1")).isFalse();
        assertThat(throttle.failed("10.0.0.1")).as("servlet form, same host").isTrue();
        assertThat(throttle.refused("/10.0.0.1:6000")).isTrue();
        assertThat(throttle.refused("/10.0.0.2:6000")).as("other addresses are not affected").isFalse();

        now.addAndGet(59_000);
        assertThat(throttle.refused("/10.0.0.1:6000")).isTrue();
        now.addAndGet(2_000);
        assertThat(throttle.refused("/10.0.0.1:6000")).isFalse();
    }

    @Test
    void failuresSpreadOverMoreThanTheWindowAreNotRefused() {
        throttle.failed("/10.0.0.1:1");
        throttle.failed("/10.0.0.1:1");
        now.addAndGet(61_000);
        assertThat(throttle.failed("/10.0.0.1:1")).isFalse();
        assertThat(throttle.refused("/10.0.0.1:1")).isFalse();
    }

    @Test
    void mqttLoginsAreRefusedWith0x9FOnceTheAddressFailedTooOften() {
        TestBroker.InMemoryUsers users = new TestBroker.InMemoryUsers();
        TestBroker.PlainHasher hasher = new TestBroker.PlainHasher();
        users.save(new org.eemqtt.broker.domain.User("ann", hasher.hash("right".toCharArray()), java.util.Set.of()));
        Authenticator authenticator = new Authenticator(users, hasher, false, throttle);
        byte[] right = "right".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] wrong = "wrong".getBytes(java.nio.charset.StandardCharsets.UTF_8);

        assertThat(authenticator.authenticate("ann", right, "/10.0.0.1:1")).isEqualTo(ConnectReasonCode.SUCCESS);
        assertThat(authenticator.authenticate("ann", wrong, "/10.0.0.1:2"))
                .isEqualTo(ConnectReasonCode.BAD_USER_NAME_OR_PASSWORD);
        assertThat(authenticator.authenticate("bob", wrong, "/10.0.0.1:3"))
                .isEqualTo(ConnectReasonCode.BAD_USER_NAME_OR_PASSWORD);
        assertThat(authenticator.authenticate("ann", wrong, "/10.0.0.1:4"))
                .isEqualTo(ConnectReasonCode.BAD_USER_NAME_OR_PASSWORD);
        assertThat(authenticator.authenticate("ann", right, "/10.0.0.1:5"))
                .as("the right password, from a refused address").isEqualTo(ConnectReasonCode.CONNECTION_RATE_EXCEEDED);
        assertThat(authenticator.authenticate("ann", right, "/10.0.0.2:5")).isEqualTo(ConnectReasonCode.SUCCESS);
    }

    @Test
    void zeroTurnsTheLimitOff() {
        LoginThrottle off = new LoginThrottle(0, 60_000, now::get);
        for (int i = 0; i < 100; i++) {
            off.failed("/10.0.0.1:1");
        }
        assertThat(off.refused("/10.0.0.1:1")).isFalse();
    }

    @Test
    void hostsOfSocketAndPlainAddresses() {
        assertThat(LoginThrottle.host("/127.0.0.1:5000")).isEqualTo("127.0.0.1");
        assertThat(LoginThrottle.host("localhost/127.0.0.1:5000")).isEqualTo("127.0.0.1");
        assertThat(LoginThrottle.host("/[0:0:0:0:0:0:0:1]:5000")).isEqualTo("0:0:0:0:0:0:0:1");
        assertThat(LoginThrottle.host("0:0:0:0:0:0:0:1")).isEqualTo("0:0:0:0:0:0:0:1");
        assertThat(LoginThrottle.host("127.0.0.1")).isEqualTo("127.0.0.1");
    }
}
