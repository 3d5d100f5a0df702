package org.eemqtt.broker.application;

import org.eemqtt.api.packet.DisconnectPacket;
import org.eemqtt.api.packet.DisconnectReasonCode;
import org.eemqtt.api.packet.PubAckPacket;
import org.eemqtt.api.packet.PubAckReasonCode;
import org.eemqtt.api.packet.PublishProperties;
import org.eemqtt.api.packet.SubAckPacket;
import org.eemqtt.broker.domain.Message;
import org.eemqtt.broker.domain.SharedFilter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.eemqtt.api.packet.QoS.AT_LEAST_ONCE;
import static org.eemqtt.api.packet.QoS.AT_MOST_ONCE;
import static org.eemqtt.broker.application.TestBroker.v5;

/** The flows of one node of a cluster, the other nodes played by a {@link Cluster} whose answers the test holds. */
class ClusterFlowTest {

    /** The other nodes: every call recorded, forwards and new filters answered when the test says. */
    static final class OtherNodes extends SingleNodeCluster {
        final List<String> added = new ArrayList<>();
        final List<String> removed = new ArrayList<>();
        final List<Message> forwarded = new ArrayList<>();
        final List<String> claimed = new ArrayList<>();
        CompletableFuture<Integer> forwardAnswer = CompletableFuture.completedFuture(0);
        CompletableFuture<Void> filterAnswer = CompletableFuture.completedFuture(null);
        /** Messages handed to another node for a share group, as "group: payload". */
        final List<String> handedOver = new ArrayList<>();
        /** Which share groups the cluster lets this node deliver a message published here to. */
        Predicate<SharedFilter> sharesHere = group -> true;

        @Override
        public boolean enabled() {
            return true;
        }

        @Override
        public CompletionStage<Void> filterAdded(String filter) {
            added.add(filter);
            return filterAnswer;
        }

        @Override
        public void filterRemoved(String filter) {
            removed.add(filter);
        }

        @Override
        public CompletionStage<Integer> forward(Message message) {
            forwarded.add(message);
            return forwardAnswer;
        }

        @Override
        public boolean shareElsewhere(Message message, SharedFilter group) {
            handedOver.add(group.topicFilter() + ": " + new String(message.payload(), StandardCharsets.UTF_8));
            return true;
        }

        @Override
        public Forwarding forwardPublished(Message message) {
            return new Forwarding(forward(message), sharesHere);
        }

        @Override
        public CompletionStage<Void> claimClient(String clientId, boolean cleanStart) {
            claimed.add(clientId);
            return CompletableFuture.completedFuture(null);
        }
    }

    private final OtherNodes others = new OtherNodes();
    private final TestBroker broker = new TestBroker(new ControllableStore(), others);

    @AfterEach
    void stop() {
        broker.close();
    }

    @Test
    void theAcknowledgementWaitsForTheOtherNodesAndCountsTheirSubscribers() {
        TestClient publisher = broker.connect(v5("pub"));
        others.forwardAnswer = new CompletableFuture<>();
        int id = publisher.publish("a/b", "hello", AT_LEAST_ONCE);

        assertThat(others.forwarded).singleElement().satisfies(m -> assertThat(m.topic()).isEqualTo("a/b"));
        assertThat(publisher.transport.sent(PubAckPacket.class)).as("no PUBACK before the other nodes confirm")
                .isEmpty();
        others.forwardAnswer.complete(1);
        // no subscriber here, one on another node: a match, not 0x10
        assertThat(publisher.transport.sent(PubAckPacket.class)).singleElement()
                .isEqualTo(new PubAckPacket(id, PubAckReasonCode.SUCCESS, null));
    }

    @Test
    void aForwardThatFailsIsNotAcknowledged() {
        TestClient publisher = broker.connect(v5("pub"));
        others.forwardAnswer = new CompletableFuture<>();
        publisher.publish("a/b", "hello", AT_LEAST_ONCE);
        others.forwardAnswer.completeExceptionally(new IllegalStateException("node n2 did not confirm"));

        assertThat(publisher.transport.sent(PubAckPacket.class)).isEmpty();
        assertThat(publisher.transport.closed()).as("the publisher sends it again on a new connection").isTrue();
    }

    @Test
    void subAckWaitsUntilTheOtherNodesKnowTheFilterAndEachFilterIsToldOnceAndTakenBack() {
        TestClient subscriber = broker.connect(v5("sub"));
        others.filterAnswer = new CompletableFuture<>();
        subscriber.subscribe("x/#", AT_LEAST_ONCE);
        assertThat(subscriber.transport.sent(SubAckPacket.class)).as("no SUBACK before the cluster knows").isEmpty();
        others.filterAnswer.complete(null);
        assertThat(subscriber.transport.sent(SubAckPacket.class)).hasSize(1);

        subscriber.subscribe("x/#", AT_MOST_ONCE); // the same filter again: replaced, not new
        subscriber.subscribe("$share/g/y/+", AT_LEAST_ONCE);
        assertThat(others.added).containsExactly("x/#", "y/+"); // a share group is wanted for its filter
        subscriber.unsubscribe("x/#");
        assertThat(others.removed).containsExactly("x/#");
    }

    @Test
    void aForwardedMessageReachesLocalSubscribersAndIsNotForwardedAgain() {
        TestClient subscriber = broker.connect(v5("sub"));
        subscriber.subscribe("a/+", AT_LEAST_ONCE);
        subscriber.clear();
        Message message = new Message("a/b", TestBroker.bytes("from n2"), AT_MOST_ONCE, false, PublishProperties.NONE,
                "remote-publisher");

        CompletableFuture<Integer> reached = broker.inbound.deliverForwarded(message).toCompletableFuture();

        assertThat(reached).isCompletedWithValue(1);
        assertThat(subscriber.payloads()).containsExactly("from n2");
        assertThat(others.forwarded).isEmpty();
    }

    @Test
    void aClientTakenOverOnAnotherNodeIsDisconnectedWith0x8EAndItsSessionEndsHere() {
        TestClient client = broker.connect(v5("moving"));
        client.subscribe("m/#", AT_LEAST_ONCE);
        assertThat(others.claimed).contains("moving");

        broker.inbound.takenOverElsewhere("moving", false, "other", 1);

        assertThat(client.transport.closes()).singleElement().satisfies(close -> assertThat(close.lastPacket())
                .isInstanceOfSatisfying(DisconnectPacket.class, d -> assertThat(d.reasonCode())
                        .isEqualTo(DisconnectReasonCode.SESSION_TAKEN_OVER)));
        assertThat(others.removed).as("its subscriptions leave the cluster's view").containsExactly("m/#");
    }

    @Test
    void aShareGroupTheClusterGaveToAnotherNodeIsSkippedHereWhileNonSharedSubscribersGetEverything() {
        TestClient member = broker.subscriber("member", "$share/g/s/#", AT_LEAST_ONCE);
        TestClient plain = broker.subscriber("plain", "s/#", AT_LEAST_ONCE);
        TestClient publisher = broker.connect(v5("pub"));

        others.sharesHere = group -> false;
        publisher.publish("s/1", "elsewhere", AT_LEAST_ONCE);
        others.sharesHere = group -> group.equals(SharedFilter.parse("$share/g/s/#"));
        publisher.publish("s/2", "here", AT_LEAST_ONCE);

        assertThat(member.payloads()).containsExactly("here");
        assertThat(plain.payloads()).containsExactly("elsewhere", "here");
        assertThat(others.forwarded).hasSize(2);
    }

    @Test
    void aForwardedMessageReachesOnlyTheShareGroupsThisNodeWasChosenFor() {
        TestClient g = broker.subscriber("in-g", "$share/g/f/+", AT_LEAST_ONCE);
        TestClient h = broker.subscriber("in-h", "$share/h/f/+", AT_LEAST_ONCE);
        TestClient plain = broker.subscriber("plain", "f/+", AT_LEAST_ONCE);
        Message message = new Message("f/1", TestBroker.bytes("from n2"), AT_LEAST_ONCE, false,
                PublishProperties.NONE, "remote-publisher");

        CompletableFuture<Integer> reached = broker.inbound.deliverForwarded(message,
                group -> group.shareName().equals("h")).toCompletableFuture();

        assertThat(reached).isCompletedWithValue(2);
        assertThat(g.payloads()).as("n2 chose another node for group g").isEmpty();
        assertThat(h.payloads()).containsExactly("from n2");
        assertThat(plain.payloads()).containsExactly("from n2");
        assertThat(others.forwarded).isEmpty();
    }

    @Test
    void messagesOfAnEndedMemberGoToAnotherNodeWhenNoMemberHereCanTakeThem() {
        TestClient leaver = broker.subscriber("leaver", "$share/g/t", AT_LEAST_ONCE);
        TestClient publisher = broker.connect(v5("pub"));
        publisher.publish("t", "m0", AT_LEAST_ONCE); // never acknowledged by the leaver
        publisher.publish("t", "m1", AT_LEAST_ONCE);
        assertThat(leaver.payloads()).containsExactly("m0", "m1");

        leaver.lose(); // clean session: the session and its membership end

        assertThat(others.handedOver).containsExactly("$share/g/t: m0", "$share/g/t: m1");
    }

    @Test
    void aMessageHandedOverForOneShareGroupReachesOneOfItsMembersAndNobodyElse() {
        TestClient g1 = broker.subscriber("g1", "$share/g/t/+", AT_LEAST_ONCE);
        TestClient g2 = broker.subscriber("g2", "$share/g/t/+", AT_LEAST_ONCE);
        TestClient other = broker.subscriber("other", "$share/h/t/+", AT_LEAST_ONCE);
        TestClient plain = broker.subscriber("plain", "t/+", AT_LEAST_ONCE);
        Message message = new Message("t/1", TestBroker.bytes("handed over"), AT_LEAST_ONCE, false,
                PublishProperties.NONE, "remote-publisher");

        assertThat(broker.inbound.deliverToShareGroup(message, SharedFilter.parse("$share/g/t/+"))).isTrue();
        assertThat(broker.inbound.deliverToShareGroup(message, SharedFilter.parse("$share/none/t/+")))
                .as("no member here: dropped, not handed on again").isFalse();

        List<String> inGroup = new ArrayList<>(g1.payloads());
        inGroup.addAll(g2.payloads());
        assertThat(inGroup).containsExactly("handed over");
        assertThat(other.payloads()).isEmpty();
        assertThat(plain.payloads()).as("its non-shared copy came with the original forward").isEmpty();
        assertThat(others.handedOver).isEmpty();
    }
}
