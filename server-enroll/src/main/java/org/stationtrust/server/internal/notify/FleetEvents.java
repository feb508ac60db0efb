package org.stationtrust.server.internal.notify;

import java.sql.Connection;
import java.sql.SQLException;

/** Where state changes report their events, inside their own transaction (the webhook outbox). */
@FunctionalInterface
public interface FleetEvents {
    void emit(Connection c, FleetEvent event) throws SQLException;
}
