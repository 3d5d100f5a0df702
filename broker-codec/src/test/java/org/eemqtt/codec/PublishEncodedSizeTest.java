package org.eemqtt.codec;

import org.eemqtt.api.packet.PublishPacket;
import org.eemqtt.api.packet.PublishProperties;
import org.eemqtt.api.packet.QoS;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The broker keeps to a client's Maximum Packet Size by computing a PUBLISH's size instead of encoding it
 * (broker-ejb PublishSize): the encoder must produce exactly that many bytes.
 */
class PublishEncodedSizeTest {

    @Test
    void v5PublishWithoutPropertiesIsHeaderTopicIdPropertyLengthAndPayload() {
        // 1 (type) + 2 (remaining length 197) + 2 + 4 ("mx/t") + 2 (packet id) + 1 (properties length 0) + 188
        PublishPacket publish = new PublishPacket("mx/t", QoS.AT_LEAST_ONCE, false, false, 7, new byte[188],
                PublishProperties.NONE);
        assertThat(Wire.connectedV5().write(publish)).hasSize(200);
    }

    @Test
    void v5SubscriptionIdentifierAddsItsVariableByteInteger() {
        // as above, with property 0x0B = 300 (2-byte variable integer): 3 more bytes
        PublishPacket publish = new PublishPacket("mx/t", QoS.AT_LEAST_ONCE, false, false, 7, new byte[188],
                PublishProperties.NONE.forSubscriber(List.of(300)));
        assertThat(Wire.connectedV5().write(publish)).hasSize(203);
    }

    @Test
    void v311PublishHasNoPropertyLength() {
        // 1 + 2 + 2 + 4 + 2 + 188
        PublishPacket publish = new PublishPacket("mx/t", QoS.AT_LEAST_ONCE, false, false, 7, new byte[188],
                PublishProperties.NONE);
        assertThat(Wire.connectedV311().write(publish)).hasSize(199);
    }
}
