package org.eemqtt.broker.domain;

import org.eemqtt.api.packet.QoS;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SubscriptionTreeTest {

    private final SubscriptionTree tree = new SubscriptionTree();

    private static Subscription sub(String clientId, String filter, QoS qos) {
        return new Subscription(clientId, filter, qos, false, false, 0, 0);
    }

    private static Subscription sub(String clientId, String filter) {
        return sub(clientId, filter, QoS.AT_MOST_ONCE);
    }

    private List<Subscription> match(String topic) {
        List<Subscription> found = new ArrayList<>();
        tree.match(topic, found::add);
        return found;
    }

    private List<String> filtersMatching(String topic) {
        return match(topic).stream().map(Subscription::topicFilter).toList();
    }

    @Test
    void emptyTreeMatchesNothing() {
        assertThat(match("a/b")).isEmpty();
    }

    @Test
    void exactFilterMatchesOnlyItsTopic() {
        Subscription s = sub("c1", "a/b");
        tree.add(s);
        assertThat(match("a/b")).containsExactly(s);
        assertThat(match("a")).isEmpty();
        assertThat(match("a/b/c")).isEmpty();
        assertThat(match("a/c")).isEmpty();
    }

    @Test
    void singleLevelWildcard() {
        tree.add(sub("c1", "a/+/c"));
        tree.add(sub("c1", "+"));
        tree.add(sub("c1", "/+"));
        assertThat(filtersMatching("a/b/c")).containsExactly("a/+/c");
        assertThat(filtersMatching("a//c")).containsExactly("a/+/c");
        assertThat(filtersMatching("a/b/d")).isEmpty();
        assertThat(filtersMatching("x")).containsExactly("+");
        assertThat(filtersMatching("x/y")).isEmpty();
        assertThat(filtersMatching("/x")).containsExactly("/+");
    }

    @Test
    void multiLevelWildcardMatchesParentAndDescendants() {
        tree.add(sub("c1", "a/#"));
        tree.add(sub("c2", "#"));
        assertThat(filtersMatching("a")).containsExactlyInAnyOrder("a/#", "#");
        assertThat(filtersMatching("a/b")).containsExactlyInAnyOrder("a/#", "#");
        assertThat(filtersMatching("a/b/c/d")).containsExactlyInAnyOrder("a/#", "#");
        assertThat(filtersMatching("b")).containsExactly("#");
        assertThat(filtersMatching("/")).containsExactly("#");
    }

    @Test
    void everyMatchingSubscriptionOfSeveralClientsIsReported() {
        Subscription a = sub("c1", "s/t/p");
        Subscription b = sub("c2", "s/+/p");
        Subscription c = sub("c3", "s/#");
        Subscription d = sub("c1", "+/t/+");
        Subscription other = sub("c4", "s/t/q");
        List.of(a, b, c, d, other).forEach(tree::add);
        assertThat(match("s/t/p")).containsExactlyInAnyOrder(a, b, c, d);
    }

    @Test
    void sameClientAndFilterReplacesTheSubscription() {
        Subscription first = sub("c1", "a/+", QoS.AT_MOST_ONCE);
        Subscription second = sub("c1", "a/+", QoS.EXACTLY_ONCE);
        assertThat(tree.add(first)).isNull();
        assertThat(tree.add(second)).isEqualTo(first);
        assertThat(match("a/b")).containsExactly(second);
    }

    @Test
    void removeTakesOutExactlyThatSubscription() {
        Subscription mine = sub("c1", "a/b");
        Subscription theirs = sub("c2", "a/b");
        tree.add(mine);
        tree.add(theirs);
        assertThat(tree.remove(mine)).isTrue();
        assertThat(match("a/b")).containsExactly(theirs);
        assertThat(tree.remove(mine)).isFalse();
    }

    @Test
    void removeOfAReplacedSubscriptionKeepsTheNewerOne() {
        Subscription old = sub("c1", "a/#", QoS.AT_MOST_ONCE);
        Subscription newer = sub("c1", "a/#", QoS.AT_LEAST_ONCE);
        tree.add(old);
        tree.add(newer);
        assertThat(tree.remove(old)).isFalse();
        assertThat(match("a/x")).containsExactly(newer);
    }

    @Test
    void removeOfAnUnknownFilterIsFalse() {
        assertThat(tree.remove(sub("c1", "never/added"))).isFalse();
        tree.add(sub("c1", "a"));
        assertThat(tree.remove(sub("c1", "a/b"))).isFalse();
    }

    @Test
    void dollarTopicsAreNotMatchedByLeadingWildcards() {
        tree.add(sub("c1", "#"));
        tree.add(sub("c2", "+/broker"));
        tree.add(sub("c3", "$SYS/#"));
        tree.add(sub("c4", "$SYS/+"));
        tree.add(sub("c5", "$SYS/broker"));
        assertThat(match("$SYS/broker")).extracting(Subscription::clientId)
                .containsExactlyInAnyOrder("c3", "c4", "c5");
        assertThat(match("$SYS")).extracting(Subscription::clientId).containsExactly("c3");
        assertThat(match("x/broker")).extracting(Subscription::clientId).containsExactlyInAnyOrder("c1", "c2");
    }

    @Test
    void emptyLevelsAreLevels() {
        tree.add(sub("c1", "a//b"));
        tree.add(sub("c2", "/"));
        tree.add(sub("c3", "+/+"));
        assertThat(filtersMatching("a//b")).containsExactly("a//b");
        assertThat(filtersMatching("/")).containsExactlyInAnyOrder("/", "+/+");
        assertThat(filtersMatching("a/b")).containsExactly("+/+");
    }
}
