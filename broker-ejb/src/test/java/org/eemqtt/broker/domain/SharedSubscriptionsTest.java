package org.eemqtt.broker.domain;

import org.eemqtt.api.packet.QoS;
import org.eemqtt.broker.domain.ShareGroup.MemberState;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Shared filters, share groups and their index. */
class SharedSubscriptionsTest {

    private static Subscription member(String clientId, String sharedFilter) {
        return new Subscription(clientId, sharedFilter, QoS.AT_LEAST_ONCE, false, false, 0, 0);
    }

    @Test
    void parsesShareNameAndFilter() {
        assertThat(SharedFilter.parse("$share/g/a/+/#")).isEqualTo(new SharedFilter("g", "a/+/#"));
        assertThat(SharedFilter.parse("$share/group-1/#")).isEqualTo(new SharedFilter("group-1", "#"));
        assertThat(SharedFilter.parse("$share/g//")).isEqualTo(new SharedFilter("g", "/")); // '/' is a valid filter
        assertThat(SharedFilter.parse("$share/g/a").topicFilter()).isEqualTo("$share/g/a");
    }

    @Test
    void refusesMalformedSharedFilters() {
        assertThat(SharedFilter.parse("$share//a")).as("empty share name, MQTT-4.8.2-1").isNull();
        assertThat(SharedFilter.parse("$share/g")).as("no '/' after the share name, MQTT-4.8.2-2").isNull();
        assertThat(SharedFilter.parse("$share/g/")).as("no filter after the '/', MQTT-4.8.2-2").isNull();
        assertThat(SharedFilter.parse("$share/g+/a")).as("'+' in the share name, MQTT-4.8.2-2").isNull();
        assertThat(SharedFilter.parse("$share/#/a")).as("'#' in the share name, MQTT-4.8.2-2").isNull();
        assertThat(SharedFilter.parse("$share/g/a/#/b")).as("invalid filter after the share name").isNull();
        assertThat(SharedFilter.parse("$shared/g/a")).as("not a shared filter").isNull();
        assertThat(SharedFilter.isShared("$share")).isFalse();
    }

    @Test
    void groupChoosesRoundRobinAmongReadyMembers() {
        ShareGroup group = new ShareGroup(new SharedFilter("g", "t"));
        List.of("a", "b", "c").forEach(id -> group.put(member(id, "$share/g/t")));
        List<String> chosen = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            chosen.add(group.choose(s -> MemberState.READY).clientId());
        }
        assertThat(chosen).containsExactly("a", "b", "c", "a", "b", "c", "a");
    }

    @Test
    void groupPrefersReadyThenBusyThenOfflineAndNeverUnavailable() {
        ShareGroup group = new ShareGroup(new SharedFilter("g", "t"));
        List.of("offline", "busy", "ready", "gone").forEach(id -> group.put(member(id, "$share/g/t")));
        Map<String, MemberState> states = new HashMap<>(Map.of("offline", MemberState.OFFLINE,
                "busy", MemberState.BUSY, "ready", MemberState.READY, "gone", MemberState.UNAVAILABLE));
        assertThat(group.choose(s -> states.get(s.clientId())).clientId()).isEqualTo("ready");
        states.put("ready", MemberState.UNAVAILABLE);
        assertThat(group.choose(s -> states.get(s.clientId())).clientId()).isEqualTo("busy");
        states.put("busy", MemberState.UNAVAILABLE);
        assertThat(group.choose(s -> states.get(s.clientId())).clientId()).isEqualTo("offline");
        states.put("offline", MemberState.UNAVAILABLE);
        assertThat(group.choose(s -> states.get(s.clientId()))).isNull();
    }

    @Test
    void removingAMemberKeepsTheTurnOfTheOthers() {
        ShareGroup group = new ShareGroup(new SharedFilter("g", "t"));
        Subscription a = member("a", "$share/g/t");
        group.put(a);
        group.put(member("b", "$share/g/t"));
        group.put(member("c", "$share/g/t"));
        assertThat(group.choose(s -> MemberState.READY).clientId()).isEqualTo("a");
        assertThat(group.remove(a)).isTrue();
        assertThat(group.choose(s -> MemberState.READY).clientId()).isEqualTo("b");
        assertThat(group.choose(s -> MemberState.READY).clientId()).isEqualTo("c");
        assertThat(group.remove(a)).isFalse();
    }

    @Test
    void resubscribingReplacesTheMemberInPlace() {
        ShareGroup group = new ShareGroup(new SharedFilter("g", "t"));
        Subscription first = member("a", "$share/g/t");
        group.put(first);
        Subscription second = new Subscription("a", "$share/g/t", QoS.EXACTLY_ONCE, false, false, 0, 5);
        assertThat(group.put(second)).isEqualTo(first);
        assertThat(group.members()).containsExactly(second);
    }

    @Test
    void indexMatchesGroupsByTheFilterAfterTheShareName() {
        SharedSubscriptions index = new SharedSubscriptions();
        SharedFilter one = SharedFilter.parse("$share/one/sensors/+/temp");
        SharedFilter two = SharedFilter.parse("$share/two/sensors/#");
        SharedFilter other = SharedFilter.parse("$share/one/other");
        index.add(one, member("a", one.topicFilter()));
        index.add(two, member("b", two.topicFilter()));
        index.add(other, member("c", other.topicFilter()));
        List<String> matched = new ArrayList<>();
        index.match("sensors/k1/temp", g -> matched.add(g.filter().topicFilter()));
        assertThat(matched).containsExactlyInAnyOrder("$share/one/sensors/+/temp", "$share/two/sensors/#");
        List<String> none = new ArrayList<>();
        index.match("$SYS/x", g -> none.add(g.filter().topicFilter()));
        assertThat(none).isEmpty();
    }

    @Test
    void aGroupDisappearsWithItsLastMember() {
        SharedSubscriptions index = new SharedSubscriptions();
        SharedFilter shared = SharedFilter.parse("$share/g/t");
        Subscription a = member("a", shared.topicFilter());
        index.add(shared, a);
        assertThat(index.group(shared).members()).containsExactly(a);
        assertThat(index.remove(shared, a)).isTrue();
        assertThat(index.group(shared)).isNull();
        List<ShareGroup> matched = new ArrayList<>();
        index.match("t", matched::add);
        assertThat(matched).isEmpty();
    }
}
