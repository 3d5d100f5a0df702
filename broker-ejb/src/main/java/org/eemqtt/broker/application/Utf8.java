package org.eemqtt.broker.application;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** UTF-8 checks for payloads that claim to be text (MQTT 5.0 Payload Format Indicator 1). */
final class Utf8 {

    private Utf8() {
    }

    /** Well-formed per RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF, nothing cut off. */
    static boolean isWellFormed(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
