package org.eemqtt.broker.application;

/** The flows a connection hands its packets to, by concern. */
record BrokerFlows(ConnectFlow connect, PublishFlow publish, SubscribeFlow subscribe) {
}
