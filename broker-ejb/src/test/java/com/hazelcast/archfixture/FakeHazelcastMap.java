package com.hazelcast.archfixture;

/** Test fixture only: a stand-in for a Hazelcast type, so that the architecture rules can be shown to fail. */
public final class FakeHazelcastMap {
}
