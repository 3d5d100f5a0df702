package org.eemqtt.web.rest;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.core.Context;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.eemqtt.broker.application.UserException;
import org.eemqtt.broker.application.UserService;
import org.eemqtt.web.rest.Dtos.AclBody;
import org.eemqtt.web.rest.Dtos.Deleted;
import org.eemqtt.web.rest.Dtos.ErrorBody;
import org.eemqtt.web.rest.Dtos.NewUser;
import org.eemqtt.web.rest.Dtos.StatusView;
import org.eemqtt.web.rest.Dtos.UserChange;
import org.eemqtt.web.rest.Dtos.UserPage;
import org.eemqtt.web.rest.Dtos.UserView;

import java.util.Arrays;
import java.util.List;

/**
 * The users API. Literal paths ({@code list}, {@code status}) win over {@code {user_name}} in JAX-RS matching, and
 * no user may take those names. Every answer other than 2xx is an {@link ErrorBody} (see {@link ErrorMappers}).
 */
@Path("user")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "users")
@APIResponse(responseCode = "401", description = "no or wrong credentials",
        content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "Error")))
@APIResponse(responseCode = "403", description = "the user lacks the admin role",
        content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "Error")))
@APIResponse(responseCode = "429", description = "too many failed logins from this address; try again later",
        content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "Error")))
public class UserResource {

    private static final String JSON = MediaType.APPLICATION_JSON;

    @Inject
    UserService users;

    @Context
    UriInfo uriInfo;

    @POST
    @Path("{user_name}")
    @Consumes(JSON)
    @Operation(operationId = "createUser", summary = "create a user",
            description = "The name is 1 to 128 letters, digits, '.', '_', '@' or '-'; 'list' and 'status' are reserved.")
    @APIResponse(responseCode = "201", description = "created",
            content = @Content(mediaType = JSON, schema = @Schema(ref = "User")))
    @APIResponse(responseCode = "400", description = "invalid name, password, roles or JSON",
            content = @Content(mediaType = JSON, schema = @Schema(ref = "Error")))
    @APIResponse(responseCode = "409", description = "the user exists already",
            content = @Content(mediaType = JSON, schema = @Schema(ref = "Error")))
    public Response create(@Parameter(description = "the new user's name", required = true) @PathParam("user_name") String name,
                           @NotNull(message = "a JSON body is required") @Valid NewUser body) {
        UserView created = UserView.of(users.create(name, body.password, body.roles));
        return Response.created(uriInfo.getAbsolutePath()).entity(created).build();
    }

    /** The literal paths win over {@code {user_name}}: without these, creating "list" would be 405, not 400. */
    @POST
    @Path("list")
    @Operation(hidden = true)
    public Response createList() {
        throw new UserException(UserException.Kind.INVALID, "'list' is reserved");
    }

    @POST
    @Path("status")
    @Operation(hidden = true)
    public Response createStatus() {
        throw new UserException(UserException.Kind.INVALID, "'status' is reserved");
    }

    @GET
    @Path("list")
    @Operation(operationId = "listUsers", summary = "list users by name, a page at a time")
    @APIResponse(responseCode = "200", description = "one page",
            content = @Content(mediaType = JSON, schema = @Schema(ref = "UserPage")))
    @APIResponse(responseCode = "400", description = "page below 0 or size outside 1..1000",
            content = @Content(mediaType = JSON, schema = @Schema(ref = "Error")))
    public UserPage list(@Parameter(description = "page number, 0 first") @QueryParam("page") @DefaultValue("0") int page,
                         @Parameter(description = "users per page, 1 to 1000") @QueryParam("size") @DefaultValue("50")
                         int size) {
        return UserPage.of(users.list(page, size));
    }

    @GET
    @Path("status")
    @Operation(operationId = "usersStatus", summary = "connection status of several users")
    @APIResponse(responseCode = "200", description = "one entry per user, in the order asked",
            content = @Content(mediaType = JSON,
                    schema = @Schema(type = SchemaType.ARRAY, implementation = StatusView.class)))
    @APIResponse(responseCode = "400", description = "no user named",
            content = @Content(mediaType = JSON, schema = @Schema(ref = "Error")))
    @APIResponse(responseCode = "404", description = "a named user does not exist",
            content = @Content(mediaType = JSON, schema = @Schema(ref = "Error")))
    @APIResponse(responseCode = "503", description = "in a cluster: a node did not answer within "
            + "mqtt.cluster.timeout (a change is stored all the same and applies there at the next login)",
            content = @Content(mediaType = JSON, schema = @Schema(ref = "Error")))
    public List<StatusView> status(@Parameter(description = "comma-separated user names", example = "ann,bob")
                                   @QueryParam("users") String names) {
        List<String> list = names == null ? List.of() : Arrays.stream(names.split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).toList();
        return users.status(list).stream().map(StatusView::of).toList();
    }

    @GET
    @Path("{user_name}")
    @Operation(operationId = "getUser", summary = "read a user")
    @APIResponse(responseCode = "200", description = "the user",
            content = @Content(mediaType = JSON, schema = @Schema(ref = "User")))
    @APIResponse(responseCode = "404", description = "no such user",
            content = @Content(mediaType = JSON, schema = @Schema(ref = "Error")))
    public UserView get(@Parameter(description = "the user's name", required = true) @PathParam("user_name") String name) {
        return UserView.of(users.get(name));
    }

    @PUT
    @Path("{user_name}")
    @Consumes(JSON)
    @Operation(operationId = "updateUser", summary = "change a user's password and/or roles",
            description = "A changed password applies to the next login; open connections stay.")
    @APIResponse(responseCode = "200", description = "the changed user",
            content = @Content(mediaType = JSON, schema = @Schema(ref = "User")))
    @APIResponse(responseCode = "400", description = "nothing to change, or an invalid value or JSON",
            content = @Content(mediaType = JSON, schema = @Schema(ref = "Error")))
    @APIResponse(responseCode = "404", description = "no such user",
            content = @Content(mediaType = JSON, schema = @Schema(ref = "Error")))
    @APIResponse(responseCode = "409", description = "the change would leave no user with the admin role",
            content = @Content(mediaType = JSON, schema = @Schema(ref = "Error")))
    @APIResponse(responseCode = "503", description = "in a cluster: a node did not answer within "
            + "mqtt.cluster.timeout (a change is stored all the same and applies there at the next login)",
            content = @Content(mediaType = JSON, schema = @Schema(ref = "Error")))
    public UserView update(@Parameter(description = "the user's name", required = true) @PathParam("user_name") String name,
                           @NotNull(message = "a JSON body is required") @Valid UserChange body) {
        return UserView.of(users.update(name, body.password, body.roles));
    }

    @DELETE
    @Path("{user_name}")
    @Operation(operationId = "deleteUser", summary = "remove a user and close its MQTT connections")
    @APIResponse(responseCode = "200", description = "removed",
            content = @Content(mediaType = JSON, schema = @Schema(ref = "Deleted")))
    @APIResponse(responseCode = "404", description = "no such user",
            content = @Content(mediaType = JSON, schema = @Schema(ref = "Error")))
    @APIResponse(responseCode = "409", description = "the last user with the admin role",
            content = @Content(mediaType = JSON, schema = @Schema(ref = "Error")))
    @APIResponse(responseCode = "503", description = "in a cluster: a node did not answer within "
            + "mqtt.cluster.timeout (a change is stored all the same and applies there at the next login)",
            content = @Content(mediaType = JSON, schema = @Schema(ref = "Error")))
    public Deleted delete(@Parameter(description = "the user's name", required = true) @PathParam("user_name") String name) {
        return new Deleted(name, users.delete(name));
    }

    @GET
    @Path("{user_name}/status")
    @Operation(operationId = "userStatus", summary = "connection status of a user")
    @APIResponse(responseCode = "200", description = "online or offline, with the client ids and since when",
            content = @Content(mediaType = JSON, schema = @Schema(ref = "UserStatus")))
    @APIResponse(responseCode = "404", description = "no such user",
            content = @Content(mediaType = JSON, schema = @Schema(ref = "Error")))
    @APIResponse(responseCode = "503", description = "in a cluster: a node did not answer within "
            + "mqtt.cluster.timeout (a change is stored all the same and applies there at the next login)",
            content = @Content(mediaType = JSON, schema = @Schema(ref = "Error")))
    public StatusView userStatus(@Parameter(description = "the user's name", required = true) @PathParam("user_name") String name) {
        return StatusView.of(users.status(name));
    }

    @GET
    @Path("{user_name}/acl")
    @Operation(operationId = "getAcl", summary = "read a user's topic permissions")
    @APIResponse(responseCode = "200", description = "the ACL; restricted false when the user has none",
            content = @Content(mediaType = JSON, schema = @Schema(ref = "Acl")))
    @APIResponse(responseCode = "404", description = "no such user",
            content = @Content(mediaType = JSON, schema = @Schema(ref = "Error")))
    public AclBody acl(@Parameter(description = "the user's name", required = true) @PathParam("user_name") String name) {
        return AclBody.of(users.acl(name));
    }

    @PUT
    @Path("{user_name}/acl")
    @Consumes(JSON)
    @Operation(operationId = "setAcl", summary = "set a user's topic permissions",
            description = "Replaces the ACL; the user's connected clients are checked against it from the next "
                    + "PUBLISH or SUBSCRIBE on (5.0: 0x87; 3.1.1: SUBACK 0x80, publish dropped).")
    @APIResponse(responseCode = "200", description = "the ACL now",
            content = @Content(mediaType = JSON, schema = @Schema(ref = "Acl")))
    @APIResponse(responseCode = "400", description = "an invalid topic filter or JSON",
            content = @Content(mediaType = JSON, schema = @Schema(ref = "Error")))
    @APIResponse(responseCode = "404", description = "no such user",
            content = @Content(mediaType = JSON, schema = @Schema(ref = "Error")))
    @APIResponse(responseCode = "503", description = "in a cluster: a node did not answer within "
            + "mqtt.cluster.timeout (a change is stored all the same and applies there at the next login)",
            content = @Content(mediaType = JSON, schema = @Schema(ref = "Error")))
    public AclBody setAcl(@Parameter(description = "the user's name", required = true) @PathParam("user_name") String name,
                          @NotNull(message = "a JSON body is required") @Valid AclBody body) {
        return AclBody.of(users.setAcl(name, body.publish, body.subscribe));
    }

    @DELETE
    @Path("{user_name}/acl")
    @Operation(operationId = "deleteAcl", summary = "remove a user's topic permissions (the user is unrestricted)")
    @APIResponse(responseCode = "200", description = "the ACL now (restricted false)",
            content = @Content(mediaType = JSON, schema = @Schema(ref = "Acl")))
    @APIResponse(responseCode = "404", description = "no such user",
            content = @Content(mediaType = JSON, schema = @Schema(ref = "Error")))
    @APIResponse(responseCode = "503", description = "in a cluster: a node did not answer within "
            + "mqtt.cluster.timeout (a change is stored all the same and applies there at the next login)",
            content = @Content(mediaType = JSON, schema = @Schema(ref = "Error")))
    public AclBody deleteAcl(@Parameter(description = "the user's name", required = true) @PathParam("user_name") String name) {
        return AclBody.of(users.setAcl(name, null, null));
    }
}
