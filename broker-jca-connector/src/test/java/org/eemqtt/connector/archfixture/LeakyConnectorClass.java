package org.eemqtt.connector.archfixture;

import org.eemqtt.broker.archfixture.FakeBrokerService;

/** Test fixture only: a "connector" class that reaches into the broker, which the architecture forbids. */
public class LeakyConnectorClass {
    FakeBrokerService broker;
}
