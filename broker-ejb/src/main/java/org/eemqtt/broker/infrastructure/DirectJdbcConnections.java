package org.eemqtt.broker.infrastructure;

import org.eclipse.persistence.config.SessionCustomizer;
import org.eclipse.persistence.sessions.DatabaseLogin;
import org.eclipse.persistence.sessions.DefaultConnector;
import org.eclipse.persistence.sessions.DirectConnector;
import org.eclipse.persistence.sessions.Session;

/**
 * Makes the unit open its JDBC connections from the driver class directly instead of through
 * {@link java.sql.DriverManager}. Payara deregisters JDBC drivers that a web application's class loader registered
 * when it stops that loader ("forcibly unregistered" in the log), which it does during deployment: a bundled driver
 * (MySQL Connector/J) could then be missing from the DriverManager when the store connects, depending on timing.
 */
public class DirectJdbcConnections implements SessionCustomizer {

    @Override
    public void customize(Session session) {
        if (session.getDatasourceLogin() instanceof DatabaseLogin login
                && login.getConnector() instanceof DefaultConnector connector
                && !(connector instanceof DirectConnector)) {
            login.setConnector(new DirectConnector(connector.getDriverClassName(), connector.getDriverURLHeader(),
                    connector.getDatabaseURL()));
        }
    }
}
