package org.eemqtt.broker.infrastructure;

import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.media.Schema;

import java.lang.reflect.Method;
import java.math.BigDecimal;
import java.util.Map;
import java.util.TreeMap;

/**
 * Makes Payara 6's generated document valid OpenAPI (registered as {@code mp.openapi.filter}).
 * <p>
 * Schemas: Payara writes every attribute of a {@code @Schema} annotation, defaults included, and
 * {@code maxProperties: 0} would even forbid every property.
 * <p>
 * Payara 6.2025.10 also writes a top-level {@code endpoints} map (context root to paths) that OpenAPI does not allow;
 * later Payara releases write it as the extension {@code x-endpoints} (payara/Payara#7891). Payara's document model
 * keeps it in a field of its own, which has to stay a map: cloning and merging documents read it (a {@code null}
 * breaks {@code /openapi}), and nothing else in Payara reads it. Its JSON/YAML writer leaves empty maps out, so the
 * filter moves the entries to {@code x-endpoints} and empties the map. Payara's class is not on our compile path,
 * hence reflection; where the method is missing (a later Payara) there is nothing to do.
 * <p>
 * It documents the WAR's REST API but lives in the EJB jar, with its {@code mp.openapi.filter} entry in this jar's
 * {@code META-INF/microprofile-config.properties}: on Payara Server, Payara builds the WAR's document with the EAR's
 * class loader, which sees the EJB jar and not the WAR (the uber-jar's WAR carries the EJB jar, so both see it).
 */
public class OpenApiCleanup implements OASFilter {

    static final String ENDPOINTS_EXTENSION = "x-endpoints";

    @Override
    public void filterOpenAPI(OpenAPI api) {
        Map<?, ?> endpoints = payaraEndpoints(api);
        if (endpoints != null && !endpoints.isEmpty()) {
            api.addExtension(ENDPOINTS_EXTENSION, new TreeMap<>(endpoints));
            endpoints.clear();
        }
    }

    private static Map<?, ?> payaraEndpoints(OpenAPI api) {
        try {
            Method getter = api.getClass().getMethod("getEndpoints");
            return getter.invoke(api) instanceof Map<?, ?> map ? map : null;
        } catch (ReflectiveOperationException notPayara6) {
            return null;
        }
    }

    @Override
    public Schema filterSchema(Schema schema) {
        if (Integer.valueOf(0).equals(schema.getMaxProperties())) {
            schema.setMaxProperties(null);
        }
        if (Integer.valueOf(0).equals(schema.getMinProperties())) {
            schema.setMinProperties(null);
        }
        if (Integer.valueOf(0).equals(schema.getMinLength())) {
            schema.setMinLength(null);
        }
        if (Integer.valueOf(0).equals(schema.getMinItems())) {
            schema.setMinItems(null);
        }
        if (Boolean.FALSE.equals(schema.getExclusiveMaximum())) {
            schema.setExclusiveMaximum(null);
        }
        if (Boolean.FALSE.equals(schema.getExclusiveMinimum())) {
            schema.setExclusiveMinimum(null);
        }
        if (Boolean.FALSE.equals(schema.getUniqueItems())) {
            schema.setUniqueItems(null);
        }
        if (Boolean.FALSE.equals(schema.getNullable())) {
            schema.setNullable(null);
        }
        if (Boolean.FALSE.equals(schema.getReadOnly())) {
            schema.setReadOnly(null);
        }
        if (Boolean.FALSE.equals(schema.getWriteOnly())) {
            schema.setWriteOnly(null);
        }
        if (Boolean.FALSE.equals(schema.getDeprecated())) {
            schema.setDeprecated(null);
        }
        if (BigDecimal.ZERO.equals(schema.getMultipleOf())) {
            schema.setMultipleOf(null);
        }
        return schema;
    }
}
