package org.eemqtt.broker.infrastructure;

import org.eemqtt.broker.application.UserConnection;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Users' connections as a node answers a status question: plain bytes, like every {@link ClusterFrames} body. */
final class UserConnections {

    private UserConnections() {
    }

    static byte[] write(Map<String, List<UserConnection>> byUser) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(byUser.size());
            for (Map.Entry<String, List<UserConnection>> entry : byUser.entrySet()) {
                ClusterFrames.writeString(out, entry.getKey());
                out.writeInt(entry.getValue().size());
                for (UserConnection c : entry.getValue()) {
                    ClusterFrames.writeString(out, c.clientId());
                    out.writeLong(c.connectedSince().getEpochSecond());
                    out.writeInt(c.connectedSince().getNano());
                    ClusterFrames.writeString(out, c.remoteAddress() == null ? "" : c.remoteAddress());
                    ClusterFrames.writeString(out, c.protocol());
                    ClusterFrames.writeString(out, c.node());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static Map<String, List<UserConnection>> read(byte[] data) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            int users = in.readInt();
            Map<String, List<UserConnection>> result = new LinkedHashMap<>();
            for (int u = 0; u < users; u++) {
                String user = ClusterFrames.readString(in);
                int count = in.readInt();
                List<UserConnection> connections = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    String clientId = ClusterFrames.readString(in);
                    Instant since = Instant.ofEpochSecond(in.readLong(), in.readInt());
                    String address = ClusterFrames.readString(in);
                    String protocol = ClusterFrames.readString(in);
                    String node = ClusterFrames.readString(in);
                    connections.add(new UserConnection(clientId, since, address.isEmpty() ? null : address,
                            protocol, node));
                }
                result.put(user, connections);
            }
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Adds {@code more} to {@code into}, user by user. */
    static void merge(Map<String, List<UserConnection>> into, Map<String, List<UserConnection>> more) {
        more.forEach((user, connections) -> into.computeIfAbsent(user, u -> new ArrayList<>()).addAll(connections));
    }
}
