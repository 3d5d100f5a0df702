package org.eemqtt.web.rest;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The Swagger UI page for {@code /openapi}. Its scripts and styles come from the swagger-ui webjar in WEB-INF/lib,
 * which the container serves from the jar's META-INF/resources (no CDN); the page is public, the API calls it makes
 * ask for the admin's credentials (the Authorize button).
 */
@Path("swagger-ui")
public class SwaggerUiResource {

    /** The version of the org.webjars:swagger-ui dependency (broker-web/pom.xml, swagger.ui.version). */
    static final String VERSION = "5.34.1";

    private static final String BASE = "/webjars/swagger-ui/" + VERSION + "/";

    private static final String PAGE = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
              <meta charset="UTF-8">
              <title>EE MQTT Server REST API</title>
              <link rel="stylesheet" href="%1$sswagger-ui.css">
            </head>
            <body>
              <div id="swagger-ui"></div>
              <script src="%1$sswagger-ui-bundle.js"></script>
              <script src="%1$sswagger-ui-standalone-preset.js"></script>
              <script>
                window.ui = SwaggerUIBundle({
                  url: "/openapi",
                  dom_id: "#swagger-ui",
                  deepLinking: true,
                  presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
                  layout: "StandaloneLayout"
                });
              </script>
            </body>
            </html>
            """.formatted(BASE);

    @GET
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public String page() {
        return PAGE;
    }
}
