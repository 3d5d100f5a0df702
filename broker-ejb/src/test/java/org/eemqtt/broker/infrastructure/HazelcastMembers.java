package org.eemqtt.broker.infrastructure;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;

/** Real Hazelcast members for tests: on the loopback interface only, joined by TCP/IP, in a cluster of that name. */
public final class HazelcastMembers {

    private HazelcastMembers() {
    }

    public static HazelcastInstance member(String clusterName) {
        Config config = new Config();
        config.setClusterName(clusterName);
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.logging.type", "jdk");
        // ports of their own, away from Hazelcast's 5701 and the ITs' members
        config.getNetworkConfig().setPort(47901).setPortAutoIncrement(true).setPortCount(5);
        config.getNetworkConfig().getInterfaces().setEnabled(true).addInterface("127.0.0.1");
        JoinConfig join = config.getNetworkConfig().getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).addMember("127.0.0.1");
        return Hazelcast.newHazelcastInstance(config);
    }

    public static String id(HazelcastInstance member) {
        return member.getCluster().getLocalMember().getUuid().toString();
    }
}
