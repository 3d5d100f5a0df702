package org.eemqtt.broker.infrastructure;

import jakarta.ejb.EJB;
import jakarta.ejb.MessageDriven;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import org.eemqtt.api.ConnectionHandler;
import org.eemqtt.api.MqttConnection;
import org.eemqtt.api.MqttConnectionListener;
import org.eemqtt.api.packet.ConnectPacket;
import org.eemqtt.broker.application.BrokerService;

/**
 * The inbound end of the resource adapter: its activation opens the MQTT listeners, and each new connection's
 * CONNECT arrives here once. No container transaction: the broker manages its own storage work.
 */
@MessageDriven(messageListenerInterface = MqttConnectionListener.class)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class MqttConnectionMdb implements MqttConnectionListener {

    @EJB
    BrokerService broker;

    @Override
    public ConnectionHandler connect(MqttConnection connection, ConnectPacket connect) {
        return broker.connect(connection, connect);
    }
}
