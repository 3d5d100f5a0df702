package org.eemqtt.broker.infrastructure;

import jakarta.persistence.Basic;
import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.FetchType;
import jakarta.persistence.Lob;
import org.eemqtt.api.packet.QoS;
import org.eemqtt.broker.domain.Message;

/**
 * The columns of an application message, shared by the message and retained tables. Topic and payload are LOBs:
 * a topic may be 65,535 bytes, more than a portable VARCHAR (MySQL's row limit), and the payload up to the packet
 * size.
 */
@Embeddable
public class MessageColumns {

    @Lob
    @Basic(fetch = FetchType.EAGER)
    @Column(name = "TOPIC", nullable = false)
    private String topic;

    @Lob
    @Basic(fetch = FetchType.EAGER)
    @Column(name = "PAYLOAD")
    private byte[] payload;

    @Column(name = "QOS", nullable = false)
    private int qos;

    @Column(name = "RETAIN_FLAG", nullable = false)
    private boolean retain;

    @Lob
    @Basic(fetch = FetchType.EAGER)
    @Column(name = "PROPERTIES")
    private byte[] properties;

    @Column(name = "EXPIRES_AT", nullable = false)
    private long expiresAtMillis;

    protected MessageColumns() {
        // for JPA
    }

    MessageColumns(Message message) {
        topic = message.topic();
        payload = message.payload();
        qos = message.qos().value();
        retain = message.retain();
        properties = StoreCodec.encode(message.properties());
        expiresAtMillis = message.expiresAtMillis();
    }

    Message toMessage() {
        return new Message(topic, payload == null ? new byte[0] : payload, QoS.of(qos), retain,
                StoreCodec.decodeProperties(properties), null, expiresAtMillis);
    }

    long expiresAtMillis() {
        return expiresAtMillis;
    }
}
