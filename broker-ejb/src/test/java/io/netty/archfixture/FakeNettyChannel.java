package io.netty.archfixture;

/**
 * Test fixture only: a stand-in for a Netty type (Netty is not on this module's class path), so that the
 * architecture rules can be shown to fail on a dependency into io.netty.
 */
public final class FakeNettyChannel {
}
