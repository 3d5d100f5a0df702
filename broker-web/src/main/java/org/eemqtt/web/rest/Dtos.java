package org.eemqtt.web.rest;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eemqtt.broker.application.UserConnection;
import org.eemqtt.broker.application.UserService;
import org.eemqtt.broker.domain.TopicAcl;
import org.eemqtt.broker.domain.User;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** The API's JSON bodies (public fields: JSON-B reads and writes them as they are). */
public final class Dtos {

    static final String ROLE = "[a-z][a-z0-9_-]{0,31}";

    private Dtos() {
    }

    @Schema(name = "Error", description = "every error answer")
    public static class ErrorBody {
        @Schema(description = "the HTTP status", example = "404", required = true)
        public int code;
        @Schema(description = "what is wrong", example = "no user 'ann'", required = true)
        public String message;

        public ErrorBody() {
        }

        ErrorBody(int code, String message) {
            this.code = code;
            this.message = message;
        }
    }

    @Schema(name = "NewUser", description = "a user to create")
    public static class NewUser {
        @NotNull(message = "password is required")
        @Size(min = 8, max = 256, message = "password must have 8 to 256 characters")
        @Schema(required = true, minLength = 8, maxLength = 256, example = "s3cret-pass")
        public String password;
        @Size(max = 16, message = "at most 16 roles")
        @Schema(description = "roles; admin may use this API", type = SchemaType.ARRAY, implementation = String.class)
        public Set<@NotNull @Pattern(regexp = ROLE, message = "a role is lower-case letters, digits, _ or -") String>
                roles;
    }

    @Schema(name = "UserChange", description = "a new password, new roles, or both")
    public static class UserChange {
        @Size(min = 8, max = 256, message = "password must have 8 to 256 characters")
        @Schema(minLength = 8, maxLength = 256, example = "new-s3cret")
        public String password;
        @Size(max = 16, message = "at most 16 roles")
        @Schema(description = "the complete new set of roles", type = SchemaType.ARRAY, implementation = String.class)
        public Set<@NotNull @Pattern(regexp = ROLE, message = "a role is lower-case letters, digits, _ or -") String>
                roles;
    }

    @Schema(name = "User", description = "a user (never the password or its hash)")
    public static class UserView {
        @Schema(required = true, example = "ann")
        public String name;
        @Schema(required = true, type = SchemaType.ARRAY, implementation = String.class)
        public Set<String> roles;
        @Schema(description = "when the user was created (ISO-8601)", example = "2026-01-01T12:00:00Z")
        public String created;
        @Schema(description = "whether an ACL limits the user's topics", required = true)
        public boolean aclSet;

        static UserView of(User user) {
            UserView view = new UserView();
            view.name = user.name();
            view.roles = new TreeSet<>(user.roles());
            view.created = user.created() == null ? null : user.created().toString();
            view.aclSet = user.acl() != null;
            return view;
        }
    }

    @Schema(name = "UserPage", description = "one page of users, by name")
    public static class UserPage {
        @Schema(required = true, type = SchemaType.ARRAY, ref = "User")
        public List<UserView> users;
        @Schema(description = "this page's number, 0 first", required = true)
        public int page;
        @Schema(description = "users per page", required = true)
        public int size;
        @Schema(description = "users in all", required = true)
        public long total;

        static UserPage of(UserService.UserPage page) {
            UserPage view = new UserPage();
            view.users = page.users().stream().map(UserView::of).toList();
            view.page = page.page();
            view.size = page.size();
            view.total = page.total();
            return view;
        }
    }

    @Schema(name = "Connection", description = "a live MQTT connection")
    public static class ConnectionView {
        @Schema(required = true)
        public String clientId;
        @Schema(description = "when it connected (ISO-8601)", required = true)
        public String connectedSince;
        @Schema(description = "the client's address")
        public String remoteAddress;
        @Schema(description = "MQTT version: V3_1, V3_1_1 or V5")
        public String protocol;
        @Schema(description = "the cluster node holding the connection (its Hazelcast member id; 'local' without a "
                + "cluster)")
        public String node;

        static ConnectionView of(UserConnection connection) {
            ConnectionView view = new ConnectionView();
            view.clientId = connection.clientId();
            view.connectedSince = connection.connectedSince().toString();
            view.remoteAddress = connection.remoteAddress();
            view.protocol = connection.protocol();
            view.node = connection.node();
            return view;
        }
    }

    @Schema(name = "UserStatus", description = "whether a user is connected, and how")
    public static class StatusView {
        @Schema(required = true)
        public String user;
        @Schema(description = "online when at least one connection is open", required = true,
                enumeration = {"online", "offline"})
        public String status;
        @Schema(description = "the user's connections, oldest first", required = true, type = SchemaType.ARRAY,
                ref = "Connection")
        public List<ConnectionView> connections;

        static StatusView of(UserService.UserStatus status) {
            StatusView view = new StatusView();
            view.user = status.user();
            view.status = status.online() ? "online" : "offline";
            view.connections = status.connections().stream().map(ConnectionView::of).toList();
            return view;
        }
    }

    @Schema(name = "Acl", description = "topic permissions: topic filters with + and #; %u is the user name, %c the "
            + "client id. A user without an ACL may use every topic the broker's denied filters leave.")
    public static class AclBody {
        @Schema(description = "true when the ACL is set; false: the user has none (unrestricted)")
        public Boolean restricted;
        @NotNull(message = "publish is required (a list, possibly empty)")
        @Size(max = 100, message = "at most 100 publish patterns")
        @Schema(required = true, type = SchemaType.ARRAY, implementation = String.class)
        public List<@NotNull String> publish;
        @NotNull(message = "subscribe is required (a list, possibly empty)")
        @Size(max = 100, message = "at most 100 subscribe patterns")
        @Schema(required = true, type = SchemaType.ARRAY, implementation = String.class)
        public List<@NotNull String> subscribe;

        static AclBody of(TopicAcl acl) {
            AclBody body = new AclBody();
            body.restricted = acl != null;
            body.publish = acl == null ? List.of() : acl.publish();
            body.subscribe = acl == null ? List.of() : acl.subscribe();
            return body;
        }
    }

    @Schema(name = "Deleted", description = "a removed user")
    public static class Deleted {
        @Schema(required = true)
        public String user;
        @Schema(description = "MQTT connections of the user that were closed", required = true)
        public int closedConnections;

        Deleted(String user, int closedConnections) {
            this.user = user;
            this.closedConnections = closedConnections;
        }

        public Deleted() {
        }
    }
}
