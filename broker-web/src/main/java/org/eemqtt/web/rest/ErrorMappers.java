package org.eemqtt.web.rest;

import jakarta.json.bind.JsonbException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import org.eemqtt.broker.application.UserException;
import org.eemqtt.web.rest.Dtos.ErrorBody;

import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/** Every failure of the API as a JSON {@link ErrorBody} with the status that fits it. */
final class ErrorMappers {

    private static final Logger LOG = Logger.getLogger(ErrorMappers.class.getName());

    private ErrorMappers() {
    }

    static Response error(Response.Status status, String message) {
        return error(status.getStatusCode(), message);
    }

    static Response error(int status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ErrorBody(status, message)).build();
    }

    @Provider
    public static class UserErrors implements ExceptionMapper<UserException> {
        @Override
        public Response toResponse(UserException e) {
            return switch (e.kind()) {
                case INVALID -> error(Response.Status.BAD_REQUEST, e.getMessage());
                case NOT_FOUND -> error(Response.Status.NOT_FOUND, e.getMessage());
                case CONFLICT -> error(Response.Status.CONFLICT, e.getMessage());
                case TOO_MANY_FAILURES -> error(Response.Status.TOO_MANY_REQUESTS, e.getMessage());
                case BAD_CREDENTIALS -> error(Response.Status.UNAUTHORIZED, e.getMessage());
                case UNAVAILABLE -> error(Response.Status.SERVICE_UNAVAILABLE, e.getMessage());
            };
        }
    }

    /** Bean Validation of bodies and parameters: the violated rules' messages, by property. */
    @Provider
    public static class ValidationErrors implements ExceptionMapper<ConstraintViolationException> {
        @Override
        public Response toResponse(ConstraintViolationException e) {
            String message = e.getConstraintViolations().stream()
                    .map(ErrorMappers::describe).sorted().collect(Collectors.joining("; "));
            return error(Response.Status.BAD_REQUEST, message.isEmpty() ? "invalid request" : message);
        }
    }

    /** A body that is not JSON, or not of the expected shape. */
    @Provider
    public static class JsonErrors implements ExceptionMapper<JsonbException> {
        @Override
        public Response toResponse(JsonbException e) {
            return error(Response.Status.BAD_REQUEST, "malformed JSON body");
        }
    }

    /** Jersey reports a body its reader could not read as a processing failure. */
    @Provider
    public static class ReadErrors implements ExceptionMapper<ProcessingException> {
        @Override
        public Response toResponse(ProcessingException e) {
            return error(Response.Status.BAD_REQUEST, "malformed JSON body");
        }
    }

    /** The framework's own answers (404 unknown path, 405, 406, 415, a bad query parameter): same shape. */
    @Provider
    public static class FrameworkErrors implements ExceptionMapper<WebApplicationException> {
        @Override
        public Response toResponse(WebApplicationException e) {
            Response original = e.getResponse();
            int status = original.getStatus();
            String reason = original.getStatusInfo().getReasonPhrase();
            if (status == 404 && e.getCause() != null) {
                status = 400; // a query or path parameter that does not convert (e.g. page=abc)
                reason = "invalid parameter";
            }
            Response.ResponseBuilder answer = Response.fromResponse(error(status, reason));
            original.getHeaders().forEach((name, values) -> {
                if (!name.equalsIgnoreCase("Content-Type") && !name.equalsIgnoreCase("Content-Length")) {
                    values.forEach(v -> answer.header(name, v));
                }
            });
            return answer.build();
        }
    }

    /** Anything else is our fault: logged, answered 500 without details. */
    @Provider
    public static class UnexpectedErrors implements ExceptionMapper<RuntimeException> {
        @Override
        public Response toResponse(RuntimeException e) {
            Throwable cause = e;
            while (cause.getCause() != null && cause != cause.getCause()) {
                if (cause instanceof UserException user) {
                    return new UserErrors().toResponse(user);
                }
                cause = cause.getCause();
            }
            if (cause instanceof UserException user) {
                return new UserErrors().toResponse(user);
            }
            LOG.log(Level.WARNING, "REST request failed", e);
            return error(Response.Status.INTERNAL_SERVER_ERROR, "internal error");
        }
    }

    private static String describe(ConstraintViolation<?> violation) {
        String path = violation.getPropertyPath().toString();
        int dot = path.lastIndexOf('.');
        String property = dot >= 0 ? path.substring(dot + 1) : path;
        return property.startsWith("arg") || property.isEmpty() ? violation.getMessage()
                : property + ": " + violation.getMessage();
    }
}
