package org.eemqtt.web.rest;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.security.enterprise.AuthenticationStatus;
import jakarta.security.enterprise.authentication.mechanism.http.HttpAuthenticationMechanism;
import jakarta.security.enterprise.authentication.mechanism.http.HttpMessageContext;
import jakarta.security.enterprise.credential.UsernamePasswordCredential;
import jakarta.security.enterprise.identitystore.CredentialValidationResult;
import jakarta.security.enterprise.identitystore.IdentityStoreHandler;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eemqtt.broker.application.UserService;
import org.eemqtt.web.rest.Dtos.ErrorBody;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * HTTP Basic authentication of the REST API against the broker's users (through {@link BrokerIdentityStore}).
 * Jakarta Security's built-in Basic mechanism would answer every failure with 401 and an HTML page; this one adds
 * what the API promises: 429 while the client's address is refused for too many failed logins, and JSON errors.
 * The admin role itself is checked by the container (web.xml security constraint; the group admin maps to the role
 * in glassfish-web.xml), whose 403 page is JSON too.
 */
@ApplicationScoped
public class ApiAuthentication implements HttpAuthenticationMechanism {

    static final String ADMIN_ROLE = "admin";
    static final String REALM = "EE MQTT Server";

    @Inject
    IdentityStoreHandler identityStores;

    @Inject
    UserService users;

    @Override
    public AuthenticationStatus validateRequest(HttpServletRequest request, HttpServletResponse response,
                                                HttpMessageContext context) {
        String header = request.getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return context.isProtected() ? refuse(response, 401, "authentication required (HTTP Basic)", context)
                    : context.doNothing();
        }
        if (users.loginRefused(request.getRemoteAddr())) {
            return refuse(response, 429, "too many failed logins from your address; try again later", context);
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return refuse(response, 401, "malformed Basic credentials", context);
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return refuse(response, 401, "malformed Basic credentials", context);
        }
        CredentialValidationResult result = identityStores.validate(
                new UsernamePasswordCredential(decoded.substring(0, colon), decoded.substring(colon + 1)));
        if (result.getStatus() != CredentialValidationResult.Status.VALID) {
            // also the failure that reaches the limit: like MQTT's, it is told it failed; the next one gets 429
            return refuse(response, 401, "bad user name or password", context);
        }
        return context.notifyContainerAboutLogin(result);
    }

    private static AuthenticationStatus refuse(HttpServletResponse response, int status, String message,
                                               HttpMessageContext context) {
        response.setStatus(status);
        if (status == 401) {
            response.setHeader("WWW-Authenticate", "Basic realm=\"" + REALM + "\", charset=\"UTF-8\"");
        }
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        try (Jsonb jsonb = JsonbBuilder.create()) {
            response.getWriter().write(jsonb.toJson(new ErrorBody(status, message)));
        } catch (Exception e) {
            // the status alone still tells the client
        }
        return AuthenticationStatus.SEND_FAILURE;
    }
}
