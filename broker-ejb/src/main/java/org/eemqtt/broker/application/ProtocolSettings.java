package org.eemqtt.broker.application;

import org.eemqtt.api.Setting;
import org.eemqtt.api.packet.QoS;

import java.util.Optional;
import java.util.function.Function;

/**
 * The protocol limits and features the broker offers, as announced to 5.0 clients in CONNACK and enforced for all
 * versions where the version allows it (see {@link Setting} for each key).
 *
 * @param maxPacketSize              largest packet accepted, in bytes
 * @param maximumQoS                 highest QoS accepted in PUBLISH / will and granted in SUBACK
 * @param retainAvailable            retained messages supported
 * @param receiveMaximum             QoS 1/2 PUBLISHes a 5.0 client may have unacknowledged towards us
 * @param topicAliasMaximum          topic aliases a 5.0 client may use towards us
 * @param maxKeepAliveSeconds        longest keep-alive granted to a 5.0 client (Server Keep Alive beyond it)
 * @param maxTopicLength             longest topic name or filter in UTF-8 bytes
 * @param sharedSubscriptions        $share subscriptions offered
 * @param maxSubscriptionsPerSession topic filters one session may hold
 * @param responseInformation        Response Information template ({@code %c} = client id), empty for none
 */
public record ProtocolSettings(int maxPacketSize, QoS maximumQoS, boolean retainAvailable, int receiveMaximum,
                               int topicAliasMaximum, int maxKeepAliveSeconds, int maxTopicLength,
                               boolean sharedSubscriptions, int maxSubscriptionsPerSession,
                               String responseInformation) {

    public ProtocolSettings {
        require(receiveMaximum >= 1 && receiveMaximum <= 65_535, Setting.RECEIVE_MAXIMUM, receiveMaximum);
        require(topicAliasMaximum >= 0 && topicAliasMaximum <= 65_535, Setting.TOPIC_ALIAS_MAXIMUM,
                topicAliasMaximum);
        require(maxKeepAliveSeconds >= 1 && maxKeepAliveSeconds <= 65_535, Setting.MAX_KEEP_ALIVE,
                maxKeepAliveSeconds);
        require(maxTopicLength >= 1 && maxTopicLength <= 65_535, Setting.MAX_TOPIC_LENGTH, maxTopicLength);
        require(maxSubscriptionsPerSession >= 1, Setting.MAX_SUBSCRIPTIONS, maxSubscriptionsPerSession);
        responseInformation = responseInformation == null ? "" : responseInformation;
    }

    /** The defaults of every setting, with the given maximum packet size. */
    public static ProtocolSettings defaults(int maxPacketSize) {
        return new ProtocolSettings(maxPacketSize, QoS.EXACTLY_ONCE, true, 1024, 32, 60, 65_535, true, 1000, "");
    }

    static ProtocolSettings load(Function<String, Optional<String>> lookup) {
        int maxQoS = Setting.MAX_QOS.intValue(lookup);
        require(maxQoS >= 0 && maxQoS <= 2, Setting.MAX_QOS, maxQoS);
        return new ProtocolSettings(Setting.MAX_PACKET_SIZE.intValue(lookup), QoS.of(maxQoS),
                Setting.RETAIN_AVAILABLE.booleanValue(lookup), Setting.RECEIVE_MAXIMUM.intValue(lookup),
                Setting.TOPIC_ALIAS_MAXIMUM.intValue(lookup), Setting.MAX_KEEP_ALIVE.intValue(lookup),
                Setting.MAX_TOPIC_LENGTH.intValue(lookup), Setting.SHARED_SUBSCRIPTIONS.booleanValue(lookup),
                Setting.MAX_SUBSCRIPTIONS.intValue(lookup), Setting.RESPONSE_INFORMATION.value(lookup));
    }

    private static void require(boolean valid, Setting setting, int value) {
        if (!valid) {
            throw new IllegalArgumentException("Setting " + setting.key() + " is out of range: " + value);
        }
    }
}
