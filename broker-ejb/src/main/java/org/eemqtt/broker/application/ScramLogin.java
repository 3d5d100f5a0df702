package org.eemqtt.broker.application;

import org.eemqtt.api.packet.ConnectReasonCode;
import org.eemqtt.broker.domain.auth.ScramClientFirst;
import org.eemqtt.broker.domain.auth.ScramCredentials;
import org.eemqtt.broker.domain.auth.ScramException;
import org.eemqtt.broker.domain.auth.ScramSha256Server;

import java.util.Optional;

/**
 * A user's SCRAM credentials as looked up at CONNECT (on the container thread), kept for re-authentication.
 *
 * @param refusal null for a user with SCRAM credentials; otherwise the CONNECT refusal the exchange ends in, run
 *                on decoy credentials so that it fails only at the proof: 0x86 for an unknown user, 0x87 for a
 *                user whose stored hash SCRAM cannot use
 */
record ScramLogin(String username, ScramCredentials credentials, ConnectReasonCode refusal) {

    ScramSha256Server exchange(ScramClientFirst clientFirst, String serverNonce) throws ScramException {
        return new ScramSha256Server(clientFirst, credentials, serverNonce);
    }

    /** The server-final-message when the client-final-message proves the password, else empty. */
    Optional<byte[]> verify(ScramSha256Server exchange, byte[] clientFinal) throws ScramException {
        Optional<byte[]> serverFinal = exchange.verify(clientFinal);
        return refusal == null ? serverFinal : Optional.empty();
    }

    /** The CONNACK reason code of a failed exchange. */
    ConnectReasonCode failure() {
        return refusal == null ? ConnectReasonCode.BAD_USER_NAME_OR_PASSWORD : refusal;
    }
}
