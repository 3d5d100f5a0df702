package org.eemqtt.web.rest;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.security.enterprise.credential.Credential;
import jakarta.security.enterprise.credential.UsernamePasswordCredential;
import jakarta.security.enterprise.identitystore.CredentialValidationResult;
import jakarta.security.enterprise.identitystore.IdentityStore;
import jakarta.servlet.http.HttpServletRequest;
import org.eemqtt.broker.application.UserException;
import org.eemqtt.broker.application.UserService;
import org.eemqtt.broker.domain.User;

/**
 * The broker's users as a Jakarta Security identity store: the same PBKDF2 hashes MQTT logins are checked against,
 * the user's roles as its groups. Failures count towards the caller's address limit (the service logs them, without
 * the password).
 */
@ApplicationScoped
public class BrokerIdentityStore implements IdentityStore {

    @Inject
    UserService users;

    @Inject
    HttpServletRequest request;

    @Override
    public CredentialValidationResult validate(Credential credential) {
        if (!(credential instanceof UsernamePasswordCredential login)) {
            return CredentialValidationResult.NOT_VALIDATED_RESULT;
        }
        try {
            User user = users.login(login.getCaller(), login.getPassword().getValue(), request.getRemoteAddr());
            return new CredentialValidationResult(user.name(), user.roles());
        } catch (UserException refused) {
            return CredentialValidationResult.INVALID_RESULT;
        } finally {
            login.getPassword().clear();
        }
    }
}
