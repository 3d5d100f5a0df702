package org.eemqtt.broker.archfixture;

/**
 * Test fixture only: a stand-in for a broker class (the broker module is not on the connector's class path), so
 * that ArchitectureTest can show that its rule fails on a dependency into org.eemqtt.broker.
 */
public final class FakeBrokerService {
}
