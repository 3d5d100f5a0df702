package org.eemqtt.broker.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The members of one share group on one filter (MQTT 5.0 4.8.2): each message for the group goes to exactly one
 * of them. Members are sessions (client ids), each with its own subscription options. The choice is round-robin
 * among the members in the best state, so that load spreads evenly and a busy or offline member is passed over
 * while a better one exists. Thread-safe: the group's monitor guards its members and cursor; {@link #choose} asks
 * the members' states while holding it, so a member's state must never be asked for a group's lock in turn.
 */
public final class ShareGroup {

    /** How well a member can take a message now; the choice goes to the highest state present. */
    public enum MemberState {
        /** Must not get messages (no session, or a session that is ending or would drop the message). */
        UNAVAILABLE,
        /** Offline, but its session keeps messages for it: chosen only when no member is connected. */
        OFFLINE,
        /** Connected, but its in-flight window is full (the message waits in its session's queue). */
        BUSY,
        /** Connected with room in its in-flight window. */
        READY
    }

    private final SharedFilter filter;
    private final List<Subscription> members = new ArrayList<>();
    private int cursor; // index of the member whose turn it is

    public ShareGroup(SharedFilter filter) {
        this.filter = filter;
    }

    public SharedFilter filter() {
        return filter;
    }

    /** Adds the subscription of its client, or replaces the one it held (keeping its turn); returns that one. */
    public synchronized Subscription put(Subscription subscription) {
        for (int i = 0; i < members.size(); i++) {
            if (members.get(i).clientId().equals(subscription.clientId())) {
                return members.set(i, subscription);
            }
        }
        members.add(subscription);
        return null;
    }

    /** Removes exactly this subscription, if its client still holds it. */
    public synchronized boolean remove(Subscription subscription) {
        int index = members.indexOf(subscription);
        if (index < 0) {
            return false;
        }
        members.remove(index);
        if (index < cursor) {
            cursor--; // the member whose turn it was keeps it
        }
        if (cursor >= members.size()) {
            cursor = 0;
        }
        return true;
    }

    public synchronized boolean isEmpty() {
        return members.isEmpty();
    }

    public synchronized List<Subscription> members() {
        return List.copyOf(members);
    }

    /**
     * Chooses the member for one message: from the member whose turn it is, in order, the first in the highest
     * {@link MemberState} found; the turn then passes to the member after it. Null when every member is
     * {@link MemberState#UNAVAILABLE}. Costs one state query per member at most, fewer when a ready one comes early.
     */
    public synchronized Subscription choose(Function<Subscription, MemberState> state) {
        int size = members.size();
        int best = -1;
        MemberState bestState = MemberState.UNAVAILABLE;
        for (int i = 0; i < size && bestState != MemberState.READY; i++) {
            int index = (cursor + i) % size;
            MemberState s = state.apply(members.get(index));
            if (s.compareTo(bestState) > 0) {
                best = index;
                bestState = s;
            }
        }
        if (best < 0) {
            return null;
        }
        cursor = (best + 1) % size;
        return members.get(best);
    }
}
