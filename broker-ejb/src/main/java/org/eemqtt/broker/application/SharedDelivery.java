package org.eemqtt.broker.application;

import org.eemqtt.api.packet.QoS;
import org.eemqtt.broker.domain.Message;
import org.eemqtt.broker.domain.ShareGroup;
import org.eemqtt.broker.domain.ShareGroup.MemberState;
import org.eemqtt.broker.domain.SharedFilter;
import org.eemqtt.broker.domain.SharedSubscriptions;
import org.eemqtt.broker.domain.Subscription;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.logging.Logger;

/**
 * Shared subscriptions at work (MQTT 5.0 4.8.2): for each group whose filter matches a message, one member gets it,
 * with that member's subscription options. Members are chosen round-robin among those in the best state (see
 * {@link ShareGroup#choose}): connected with room in the in-flight window first, connected but full next, offline
 * persistent sessions only when no member is connected (the message then waits in that session).
 */
final class SharedDelivery {

    private static final Logger LOG = Logger.getLogger(SharedDelivery.class.getName());

    /** One group's choice for one message. */
    record Pick(ShareGroup group, Subscription member) {
    }

    private final SharedSubscriptions groups;
    private final SessionRegistry sessions;
    private final Cluster cluster;

    SharedDelivery(SharedSubscriptions groups, SessionRegistry sessions, Cluster cluster) {
        this.groups = groups;
        this.sessions = sessions;
        this.cluster = cluster;
    }

    /** Returns the membership it replaced (the same client in the same group), or null. */
    Subscription add(SharedFilter shared, Subscription subscription) {
        return groups.add(shared, subscription);
    }

    boolean remove(SharedFilter shared, Subscription subscription) {
        return groups.remove(shared, subscription);
    }

    /**
     * The member each matching group chooses for {@code message}: one per group, so that several groups on one
     * filter each get a copy. No Local never applies (a shared subscription cannot have it, MQTT-3.8.3-4). Only the
     * groups in {@code here} choose: in a cluster another node delivers for the others. A group without a member
     * that can take the message hands it to the cluster.
     */
    List<Pick> choose(Message message, Predicate<SharedFilter> here) {
        List<Pick> picks = new ArrayList<>(1);
        groups.match(message.topic(), group -> {
            if (!here.test(group.filter())) {
                return;
            }
            Subscription member = group.choose(this::stateOf);
            if (member != null) {
                picks.add(new Pick(group, member));
            } else {
                elsewhere(message, group.filter()); // in a cluster, another node may have a member that can
            }
        });
        return picks;
    }

    /**
     * Hands the message to the chosen member's session. When that session no longer takes it (it ended or went
     * offline since the choice, or its queue is full), the group chooses again, at most once per member.
     */
    void deliver(Message message, Pick pick, long storeId) {
        if (!deliver(message, pick.group(), pick.member(), storeId)) {
            elsewhere(message, pick.group().filter());
        }
    }

    /**
     * A shared delivery handed back by a session that ended goes to another member of its group, with that
     * member's options (its QoS again bounded by the message's own); when no member here can take it, to a member
     * on another node of a cluster; else it is dropped.
     */
    void redistribute(OutboundMessage handedBack) {
        if (!deliverHere(handedBack.message(), handedBack.shared())) {
            elsewhere(handedBack.message(), handedBack.shared());
        }
    }

    /**
     * A message another node handed over for {@code shared}: a member here gets it, or nobody (it is not handed
     * on again, so that two nodes never pass it back and forth).
     */
    boolean deliverHere(Message message, SharedFilter shared) {
        ShareGroup group = groups.group(shared);
        Subscription member = group == null ? null : group.choose(this::stateOf);
        return member != null && deliver(message, group, member, 0);
    }

    private void elsewhere(Message message, SharedFilter shared) {
        if (!cluster.shareElsewhere(message, shared)) {
            LOG.fine(() -> "No member of " + shared.topicFilter() + " can take a message to " + message.topic()
                    + "; dropped");
        }
    }

    /**
     * Whether a member took it. {@code storeId} is the store's copy for the first member; another member's copy is
     * not stored.
     */
    private boolean deliver(Message message, ShareGroup group, Subscription first, long storeId) {
        Subscription member = first;
        long copyId = storeId;
        int attempts = group.members().size() + 1;
        while (member != null && attempts-- > 0) {
            ClientSession session = sessions.get(member.clientId());
            if (session != null && session.deliver(copyFor(message, member, group.filter(), copyId))) {
                return true;
            }
            copyId = 0;
            member = group.choose(this::stateOf);
        }
        return false;
    }

    /** The member's copy: QoS bounded by its subscription, its identifier, Retain As Published as it asked. */
    private static OutboundMessage copyFor(Message message, Subscription member, SharedFilter shared, long storeId) {
        return new OutboundMessage(message, QoS.min(message.qos(), member.maximumQoS()),
                member.retainAsPublished() && message.retain(),
                member.identifier() > 0 ? List.of(member.identifier()) : List.of(), shared, storeId);
    }

    private MemberState stateOf(Subscription member) {
        ClientSession session = sessions.get(member.clientId());
        return session == null ? MemberState.UNAVAILABLE : session.shareState();
    }
}
