package org.eemqtt.broker.application;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;


import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The users service's cluster-wide view: this node's answer merged with the other nodes', changes told to them. */
class ClusterUsersTest {

    private static UserConnection at(String clientId, long second, String node) {
        return new UserConnection(clientId, Instant.ofEpochSecond(second), "/127.0.0.1:1", "V5", node);
    }

    /** This node: ann has one connection; changes and removals recorded. */
    private static final class Local implements LiveUsers {
        final List<String> calls = new ArrayList<>();

        @Override
        public List<UserConnection> connectionsOf(String username) {
            return username.equals("ann") ? List.of(at("here", 20, "n0")) : List.of();
        }

        @Override
        public void changed(String username) {
            calls.add("changed " + username);
        }

        @Override
        public int removed(String username) {
            calls.add("removed " + username);
            return username.equals("ann") ? 1 : 0;
        }

        @Override
        public LoginThrottle loginThrottle() {
            return null;
        }
    }

    /** The other nodes: their answers are set by the test. */
    private static final class Others extends SingleNodeCluster {
        CompletableFuture<Map<String, List<UserConnection>>> connections = CompletableFuture.completedFuture(Map.of());
        CompletableFuture<Integer> changeAnswer = CompletableFuture.completedFuture(0);
        final List<String> told = new ArrayList<>();

        @Override
        public CompletionStage<Map<String, List<UserConnection>>> userConnections(List<String> usernames) {
            return connections;
        }

        @Override
        public CompletionStage<Integer> userChanged(String username, boolean removed) {
            told.add((removed ? "removed " : "changed ") + username);
            return changeAnswer;
        }

        @Override
        public boolean enabled() {
            return true;
        }
    }

    private final Local local = new Local();
    private final Others others = new Others();
    private final ClusterUsers users = new ClusterUsers(local, others);

    @Test
    void connectionsOnEveryNodeOldestFirstAndOnlyForTheNamesAsked() {
        others.connections = CompletableFuture.completedFuture(Map.of(
                "ann", List.of(at("there-new", 30, "n1"), at("there-old", 10, "n1")),
                "bob", List.of(at("bob-there", 5, "n1")),
                "eve", List.of(at("not-asked", 1, "n1"))));

        Map<String, List<UserConnection>> got = users.connectionsOf(List.of("ann", "bob", "carl"));

        assertThat(got).containsOnlyKeys("ann", "bob", "carl");
        assertThat(got.get("ann")).extracting(UserConnection::clientId)
                .containsExactly("there-old", "here", "there-new");
        assertThat(got.get("ann")).extracting(UserConnection::node).containsExactly("n1", "n0", "n1");
        assertThat(got.get("bob")).extracting(UserConnection::clientId).containsExactly("bob-there");
        assertThat(got.get("carl")).isEmpty();
        assertThat(users.connectionsOf("ann")).hasSize(3);
    }

    @Test
    void aNodeThatDoesNotAnswerMakesTheStatusUnavailableRatherThanIncomplete() {
        others.connections = CompletableFuture.failedFuture(new IllegalStateException("node n1 did not confirm"));

        assertThatThrownBy(() -> users.connectionsOf(List.of("ann"))).isInstanceOfSatisfying(UserException.class,
                e -> assertThat(e.kind()).isEqualTo(UserException.Kind.UNAVAILABLE));
    }

    @Test
    void aRemovalClosesConnectionsHereAndElsewhereAndCountsThemAll() {
        others.changeAnswer = CompletableFuture.completedFuture(2);

        assertThat(users.removed("ann")).isEqualTo(3);
        assertThat(local.calls).containsExactly("removed ann");
        assertThat(others.told).containsExactly("removed ann");
    }

    @Test
    void aChangeReachesTheOtherNodesAndAnUnconfirmedOneIsReported() {
        users.changed("ann");
        assertThat(local.calls).containsExactly("changed ann");
        assertThat(others.told).containsExactly("changed ann");

        others.changeAnswer = CompletableFuture.failedFuture(new IllegalStateException("timeout"));
        assertThatThrownBy(() -> users.changed("bob")).isInstanceOf(UserException.class);
        assertThat(local.calls).as("applied here all the same").containsExactly("changed ann", "changed bob");
    }

    @Test
    void whatAnotherNodeAsksIsAnsweredAndAppliedHereOnlyWithoutPassingItOn() {
        assertThat(users.localConnections(List.of("ann")).get("ann")).extracting(UserConnection::clientId)
                .containsExactly("here");
        assertThat(users.changedElsewhere("ann", true)).isEqualTo(1);
        assertThat(users.changedElsewhere("bob", false)).isZero();
        assertThat(local.calls).containsExactly("removed ann", "changed bob");
        assertThat(others.told).as("not told back to the cluster").isEmpty();
    }
}
