package org.eemqtt.broker.domain.auth;

/** A SCRAM message that does not follow RFC 5802's grammar, or that this server does not support. */
public final class ScramException extends Exception {

    public ScramException(String message) {
        super(message);
    }
}
