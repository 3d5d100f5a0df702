package org.eemqtt.broker.domain;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TopicAclTest {

    private static final TopicAcl ACL = new TopicAcl(List.of("users/%u/#", "devices/%c/out", "public/+/news"),
            List.of("users/%u/#", "public/#", "clients/%c"));

    @Test
    void publishPatternsMatchWithWildcardsAndSubstitution() {
        assertThat(ACL.mayPublish("ann", "dev1", "users/ann/a/b")).isTrue();
        assertThat(ACL.mayPublish("ann", "dev1", "users/ann")).as("# includes the parent level").isTrue();
        assertThat(ACL.mayPublish("ann", "dev1", "users/bob/a")).as("another user's tree").isFalse();
        assertThat(ACL.mayPublish("ann", "dev1", "devices/dev1/out")).isTrue();
        assertThat(ACL.mayPublish("ann", "dev2", "devices/dev1/out")).as("another client id").isFalse();
        assertThat(ACL.mayPublish("ann", "dev1", "public/x/news")).isTrue();
        assertThat(ACL.mayPublish("ann", "dev1", "public/x/y/news")).as("+ is one level").isFalse();
        assertThat(ACL.mayPublish("ann", "dev1", "elsewhere")).isFalse();
    }

    @Test
    void subscribeFiltersMustLieWithinAPattern() {
        assertThat(ACL.maySubscribe("ann", "dev1", "users/ann/#")).isTrue();
        assertThat(ACL.maySubscribe("ann", "dev1", "users/ann/+/temp")).isTrue();
        assertThat(ACL.maySubscribe("ann", "dev1", "users/+/temp")).as("wider than the user's tree").isFalse();
        assertThat(ACL.maySubscribe("ann", "dev1", "#")).isFalse();
        assertThat(ACL.maySubscribe("ann", "dev1", "public/a/b")).isTrue();
        assertThat(ACL.maySubscribe("ann", "dev1", "clients/dev1")).isTrue();
        assertThat(ACL.maySubscribe("ann", "dev1", "clients/dev2")).isFalse();
    }

    @Test
    void aSubstitutionThatWouldWidenOrMoveAPatternGrantsNothing() {
        assertThat(ACL.mayPublish("a+", "dev1", "users/a+/x")).isFalse();
        assertThat(ACL.maySubscribe("#", "dev1", "users/#")).isFalse();
        assertThat(ACL.mayPublish("ann/bob", "dev1", "users/ann/bob/x")).isFalse();
        assertThat(ACL.mayPublish("ann", "dev/1", "devices/dev/1/out")).isFalse();
        assertThat(ACL.mayPublish(null, "dev1", "users/null/x")).as("anonymous: no %u").isFalse();
        assertThat(ACL.mayPublish(null, "dev1", "public/x/news")).as("patterns without %u still apply").isTrue();
    }

    @Test
    void anEmptyAclAllowsNothing() {
        TopicAcl none = new TopicAcl(List.of(), List.of());
        assertThat(none.mayPublish("ann", "c", "a")).isFalse();
        assertThat(none.maySubscribe("ann", "c", "a")).isFalse();
    }

    @Test
    void invalidPatternsAreRefused() {
        assertThat(TopicAcl.invalidReason("a/#/b")).contains("not a valid topic filter");
        assertThat(TopicAcl.invalidReason("a+")).contains("not a valid topic filter");
        assertThat(TopicAcl.invalidReason("")).contains("empty");
        assertThat(TopicAcl.invalidReason("a\nb")).contains("control");
        assertThat(TopicAcl.invalidReason("users/%u/#")).isNull();
        assertThatThrownBy(() -> new TopicAcl(List.of("#/a"), List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aclAuthorizerAppliesDeniedFiltersFirstAndReloadsOnRefresh() {
        AtomicReference<Optional<TopicAcl>> stored = new AtomicReference<>(Optional.empty());
        int[] loads = new int[1];
        AclAuthorizer authorizer = new AclAuthorizer(DeniedFilters.parse("secret/#"), user -> {
            loads[0]++;
            return stored.get();
        });
        authorizer.connected("ann");
        assertThat(authorizer.mayPublish("c", "ann", "any/topic")).as("no ACL: allowed").isTrue();
        assertThat(authorizer.mayPublish("c", "ann", "secret/x")).as("denied filter").isFalse();
        assertThat(authorizer.maySubscribe("c", null, "any/#")).as("anonymous: no ACL").isTrue();

        stored.set(Optional.of(new TopicAcl(List.of("users/%u/#"), List.of("users/%u/#"))));
        assertThat(authorizer.mayPublish("c", "ann", "any/topic")).as("cached until refreshed").isTrue();
        authorizer.refresh("ann");
        assertThat(authorizer.mayPublish("c", "ann", "any/topic")).isFalse();
        assertThat(authorizer.mayPublish("c", "ann", "users/ann/t")).isTrue();
        assertThat(authorizer.maySubscribe("c", "ann", "#")).isFalse();
        assertThat(loads[0]).as("checks do not load").isEqualTo(2);

        authorizer.forget("ann");
        stored.set(Optional.empty());
        assertThat(authorizer.mayPublish("c", "ann", "any/topic")).isTrue();
    }
}
