package org.eemqtt.web.rest;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eemqtt.web.rest.Dtos.ErrorBody;

import java.io.IOException;

/**
 * The container's own error answers (web.xml error pages: 403 when an authenticated user lacks the admin role) in
 * the API's error shape. A servlet and not a static file: the error dispatch keeps the request's method, and the
 * default servlet serves no body to a DELETE or PUT.
 */
@WebServlet("/rest-error")
public class ApiErrorServlet extends HttpServlet {

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = code instanceof Integer value ? value : response.getStatus();
        String message = status == HttpServletResponse.SC_FORBIDDEN ? "the admin role is required"
                : "HTTP status " + status;
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        try (Jsonb jsonb = JsonbBuilder.create()) {
            response.getWriter().write(jsonb.toJson(new ErrorBody(status, message)));
        } catch (Exception e) {
            throw new IOException(e);
        }
    }
}
