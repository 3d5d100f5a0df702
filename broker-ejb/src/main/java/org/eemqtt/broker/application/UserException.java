package org.eemqtt.broker.application;

import jakarta.ejb.ApplicationException;

/** A users-service request that cannot be done as asked; {@link Kind} says which answer it gets. */
@ApplicationException
public class UserException extends RuntimeException {

    public enum Kind { INVALID, NOT_FOUND, CONFLICT, TOO_MANY_FAILURES, BAD_CREDENTIALS, UNAVAILABLE }

    private final Kind kind;

    public UserException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
