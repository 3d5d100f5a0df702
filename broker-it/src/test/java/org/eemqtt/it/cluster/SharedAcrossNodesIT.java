package org.eemqtt.it.cluster;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eemqtt.it.support.Await;
import org.eemqtt.it.support.HiveClients;
import org.eemqtt.it.support.Ids;
import org.eemqtt.it.support.MqttPackets;
import org.eemqtt.it.support.Packet;
import org.eemqtt.it.support.PahoClients;
import org.eemqtt.it.support.Raw5;
import org.eemqtt.it.support.RawConnection;
import org.eemqtt.it.support.RecordingCallback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Shared subscriptions across two real nodes (issue 8): a group with members on both nodes, HiveMQ (5.0) and Paho
 * (3.1.1) clients, gets each message once, whichever node it was published on, and both nodes' members get a
 * share; a non-shared subscriber of the same filter still gets every message; a member that leaves does not cost
 * the group a message, not even those it had not acknowledged when it was the last member on its node.
 */
class SharedAcrossNodesIT extends TwoNodes {

    private static final Duration WAIT = Duration.ofSeconds(20);
    /** After the expected count arrived: time for a duplicate to show up. */
    private static final Duration GRACE = Duration.ofMillis(1500);

    private final List<Mqtt5BlockingClient> hiveClients = new ArrayList<>();
    private final List<MqttClient> pahoClients = new ArrayList<>();

    @Override
    String clusterName() {
        return "share";
    }

    @AfterEach
    void closeClients() {
        hiveClients.forEach(HiveClients::disconnectQuietly);
        pahoClients.forEach(PahoClients::closeQuietly);
    }

    /** A member's name and what it received so far (payloads). */
    private record Member(String name, int node, Supplier<List<String>> received) {
    }

    private Mqtt5BlockingClient hive(int node, String prefix) {
        Mqtt5BlockingClient client = HiveClients.connected(cluster.node(node), Ids.clientId(prefix));
        hiveClients.add(client);
        return client;
    }

    /** A HiveMQ (5.0) client on {@code node} subscribed to {@code filter} at QoS 1. */
    private Member hiveMember(int node, String prefix, String filter) {
        Mqtt5BlockingClient client = hive(node, prefix);
        List<String> received = new CopyOnWriteArrayList<>();
        client.toAsync().publishes(MqttGlobalPublishFilter.ALL,
                p -> received.add(new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8)));
        client.subscribeWith().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE).send();
        return new Member(prefix, node, () -> List.copyOf(received));
    }

    /** A Paho (3.1.1, clean session) client on {@code node} subscribed to {@code filter} at QoS 1. */
    private Member pahoMember(int node, String prefix, String filter) throws Exception {
        RecordingCallback callback = new RecordingCallback();
        MqttClient client = PahoClients.connect(cluster.node(node), Ids.clientId(prefix), true, callback);
        pahoClients.add(client);
        assertThat(client.subscribeWithResponse(filter, 1).getGrantedQos()).containsExactly(1);
        return new Member(prefix, node, () -> callback.all().stream().map(RecordingCallback.Received::text).toList());
    }

    /** Publishes {@code count} QoS 1 messages on each node (waiting for each PUBACK); returns the payloads. */
    private List<String> publishOnBothNodes(String topic, String tag, int count) {
        List<String> sent = new ArrayList<>();
        for (int node = 0; node < 2; node++) {
            Mqtt5BlockingClient publisher = hive(node, "sh-pub" + node);
            for (int i = 0; i < count; i++) {
                String payload = tag + "-n" + node + "-" + i;
                publisher.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE)
                        .payload(payload.getBytes(StandardCharsets.UTF_8)).send();
                sent.add(payload);
            }
        }
        return sent;
    }

    /** Every payload the members received, after waiting for {@code expected} of them and a grace time. */
    private static List<String> groupReceived(List<Member> members, int expected) {
        Supplier<List<String>> all = () -> {
            List<String> together = new ArrayList<>();
            members.forEach(m -> together.addAll(m.received().get()));
            return together;
        };
        Await.until(WAIT, () -> all.get().size() >= expected, () -> "the group received " + describe(members));
        Await.sleep(GRACE);
        return all.get();
    }

    private static String describe(List<Member> members) {
        Map<String, List<String>> byMember = new LinkedHashMap<>();
        members.forEach(m -> byMember.put(m.name() + "@node" + m.node(), m.received().get()));
        return byMember.toString();
    }

    private static int receivedOn(List<Member> members, int node) {
        return members.stream().filter(m -> m.node() == node).mapToInt(m -> m.received().get().size()).sum();
    }

    @Test
    void eachMessageReachesOneMemberInTheClusterAndBothNodesMembersGetAShare() throws Exception {
        String root = Ids.topicRoot("sh-both");
        String group = "$share/workers/" + root + "/#";
        List<Member> members = List.of(
                hiveMember(0, "sh-hive0", group), pahoMember(0, "sh-paho0", group),
                hiveMember(1, "sh-hive1", group), pahoMember(1, "sh-paho1", group));
        Member plain = hiveMember(1, "sh-plain", root + "/#");
        int perNode = 40;

        List<String> sent = publishOnBothNodes(root + "/job", "m", perNode);

        List<String> received = groupReceived(members, sent.size());
        assertThat(received).as("each message once in the group: %s", describe(members))
                .containsExactlyInAnyOrderElementsOf(sent);
        // the group spreads over the members of both nodes: two of four members each, so about half each
        assertThat(receivedOn(members, 0)).as("node 0's members: %s", describe(members))
                .isBetween(sent.size() / 4, sent.size() * 3 / 4);
        assertThat(receivedOn(members, 1)).as("node 1's members: %s", describe(members))
                .isBetween(sent.size() / 4, sent.size() * 3 / 4);
        members.forEach(m -> assertThat(m.received().get()).as("%s gets a share", m.name()).isNotEmpty());
        Await.until(WAIT, () -> plain.received().get().size() >= sent.size(),
                () -> "the non-shared subscriber received " + plain.received().get());
        assertThat(plain.received().get()).as("a non-shared subscriber gets every message")
                .containsExactlyInAnyOrderElementsOf(sent);
    }

    @Test
    void whenAMemberOnNode1LeavesTheOthersKeepReceivingEverything() throws Exception {
        String root = Ids.topicRoot("sh-leave");
        String group = "$share/leavers/" + root + "/+";
        Member stays0 = hiveMember(0, "sh-stay0", group);
        Mqtt5BlockingClient leaving = hive(1, "sh-leave1");
        List<String> leftReceived = new CopyOnWriteArrayList<>();
        leaving.toAsync().publishes(MqttGlobalPublishFilter.ALL,
                p -> leftReceived.add(new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8)));
        leaving.subscribeWith().topicFilter(group).qos(MqttQos.AT_LEAST_ONCE).send();
        Member stays1 = pahoMember(1, "sh-stay1", group);
        Member leaver = new Member("sh-leave1", 1, () -> List.copyOf(leftReceived));
        List<String> before = publishOnBothNodes(root + "/a", "before", 12);
        List<Member> all = List.of(stays0, stays1, leaver);
        assertThat(groupReceived(all, before.size())).as("before: %s", describe(all))
                .containsExactlyInAnyOrderElementsOf(before);
        assertThat(leftReceived).as("the leaving member had its share").isNotEmpty();

        leaving.disconnect(); // clean start, no session expiry: its session and membership end
        int hadBefore = leftReceived.size();
        List<String> after = publishOnBothNodes(root + "/a", "after", 20);

        List<Member> rest = List.of(stays0, stays1);
        List<String> received = groupReceived(rest, before.size() - hadBefore + after.size());
        List<String> expected = new ArrayList<>(before);
        expected.removeAll(leftReceived);
        expected.addAll(after);
        assertThat(received).as("the rest get every later message once: %s", describe(rest))
                .containsExactlyInAnyOrderElementsOf(expected);
        assertThat(leftReceived).hasSize(hadBefore);
        assertThat(stays0.received().get()).as("node 0's member still gets a share").isNotEmpty();
        assertThat(stays1.received().get().stream().filter(p -> p.startsWith("after")))
                .as("node 1's remaining member takes over its node's share").isNotEmpty();
    }

    @Test
    void messagesTheLastMemberOnNode1LeftUnacknowledgedGoToTheMemberOnNode0() throws Exception {
        String root = Ids.topicRoot("sh-handover");
        String group = "$share/handover/" + root + "/#";
        Member stays0 = hiveMember(0, "sh-keep0", group);
        List<String> rawReceived = new ArrayList<>();
        try (RawConnection leaver = Raw5.connected(cluster.node(1), Ids.clientId("sh-raw1"))) {
            leaver.send(MqttPackets.subscribe(1, group, 1, true));
            assertThat(leaver.readPacket(WAIT).type()).isEqualTo(Packet.SUBACK);
            Mqtt5BlockingClient publisher = hive(0, "sh-pub0");
            List<String> sent = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                String payload = "h" + i;
                publisher.publishWith().topic(root + "/x").qos(MqttQos.AT_LEAST_ONCE)
                        .payload(payload.getBytes(StandardCharsets.UTF_8)).send();
                sent.add(payload);
            }
            // node 1's member takes its share and never acknowledges it
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (stays0.received().get().size() + rawReceived.size() < sent.size()) {
                assertThat(System.nanoTime()).as("all sent arrive: node 0 %s, node 1 %s", stays0.received().get(),
                        rawReceived).isLessThan(deadline);
                try {
                    rawReceived.add(Raw5.parsePublish(leaver.readPacket(Duration.ofMillis(300))).payloadText());
                } catch (AssertionError nothingYet) {
                    // nothing for node 1's member within 300 ms: count node 0's again
                }
            }
            assertThat(rawReceived).as("node 1's member had a share").isNotEmpty();
            int node0Before = stays0.received().get().size();

            leaver.close(); // no session expiry: the session ends with the connection, its messages go elsewhere

            List<String> received = groupReceived(List.of(stays0), sent.size());
            assertThat(received).as("node 0's member also gets what node 1's never acknowledged (it had %d)",
                    node0Before).containsExactlyInAnyOrderElementsOf(sent);
        }
    }

    /** MQTT-4.8.2-3 across nodes: whichever node delivers, the chosen member's granted QoS bounds its copy. */
    @Test
    void theChosenMembersOwnGrantedQosAppliesOnEitherNode() {
        String root = Ids.topicRoot("sh-qos");
        String group = "$share/qos/" + root + "/#";
        List<Mqtt5Publish> toQos0Member = new CopyOnWriteArrayList<>();
        Mqtt5BlockingClient low = hive(1, "sh-qos0");
        low.toAsync().publishes(MqttGlobalPublishFilter.ALL, toQos0Member::add);
        low.subscribeWith().topicFilter(group).qos(MqttQos.AT_MOST_ONCE).send();
        List<Mqtt5Publish> toQos2Member = new CopyOnWriteArrayList<>();
        Mqtt5BlockingClient high = hive(0, "sh-qos2");
        high.toAsync().publishes(MqttGlobalPublishFilter.ALL, toQos2Member::add);
        high.subscribeWith().topicFilter(group).qos(MqttQos.EXACTLY_ONCE).send();

        List<String> sent = publishOnBothNodes(root + "/q", "q", 10); // at QoS 1
        List<Member> members = List.of(
                new Member("qos0", 1, () -> toQos0Member.stream().map(SharedAcrossNodesIT::text).toList()),
                new Member("qos2", 0, () -> toQos2Member.stream().map(SharedAcrossNodesIT::text).toList()));

        assertThat(groupReceived(members, sent.size())).containsExactlyInAnyOrderElementsOf(sent);
        assertThat(toQos0Member).as("node 1's member, granted QoS 0").isNotEmpty()
                .allSatisfy(p -> assertThat(p.getQos()).isEqualTo(MqttQos.AT_MOST_ONCE));
        assertThat(toQos2Member).as("node 0's member, granted QoS 2: the message's QoS 1").isNotEmpty()
                .allSatisfy(p -> assertThat(p.getQos()).isEqualTo(MqttQos.AT_LEAST_ONCE));
    }

    private static String text(Mqtt5Publish publish) {
        return new String(publish.getPayloadAsBytes(), StandardCharsets.UTF_8);
    }
}
