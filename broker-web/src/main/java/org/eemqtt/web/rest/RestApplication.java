package org.eemqtt.web.rest;

import jakarta.annotation.security.DeclareRoles;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;

/** The REST API (version 3, the original server's path), documented at {@code /openapi}. */
@ApplicationPath("/rest/v3")
@DeclareRoles(ApiAuthentication.ADMIN_ROLE)
@OpenAPIDefinition(
        info = @Info(title = "EE MQTT Server REST API", version = "3.0.0",
                description = "Users of the MQTT broker: accounts, roles, topic permissions (ACL) and connection "
                        + "status. Every call needs HTTP Basic authentication as a user with the admin role; "
                        + "every error is a JSON object with code and message."),
        security = @SecurityRequirement(name = RestApplication.BASIC_AUTH))
@SecurityScheme(securitySchemeName = RestApplication.BASIC_AUTH, type = SecuritySchemeType.HTTP, scheme = "basic",
        description = "a broker user with the admin role")
public class RestApplication extends Application {

    static final String BASIC_AUTH = "basicAuth";
}
