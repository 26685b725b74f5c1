package io.tollgate.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.auth.KeyPolicy.RateLimits;
import io.tollgate.persistence.ClientKeyLimits;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class KeyPoliciesTest {
  @Test
  void limitsColumnsBecomeThePolicy() {
    KeyPolicy p = KeyPolicies.of(1, new ClientKeyLimits(
        "{\"rpm\":10,\"tpm\":1000,\"models\":{\"gpt-4o*\":{\"rph\":5},\"empty\":{}}}", 5000L, new BigDecimal("2.5"),
        "week"));
    assertThat(p.limits()).isEqualTo(new RateLimits(10, null, 1000));
    assertThat(p.modelLimits()).containsOnlyKeys("gpt-4o*").containsEntry("gpt-4o*", new RateLimits(null, 5, null));
    assertThat(p.quota().tokens()).isEqualTo(5000L);
    assertThat(p.quota().usd()).isEqualByComparingTo("2.5");
    assertThat(p.quota().period()).isEqualTo("week");
  }

  @Test
  void nothingSetIsNoLimitAndUnreadableOrUnknownValuesAreSafe() {
    KeyPolicy none = KeyPolicies.of(2, ClientKeyLimits.NONE);
    assertThat(none.limits().none()).isTrue();
    assertThat(none.modelLimits()).isEmpty();
    assertThat(none.quota().none()).isTrue();
    assertThat(KeyPolicies.of(3, new ClientKeyLimits("not json", null, null, null)).limits().none()).isTrue();
    assertThat(KeyPolicies.of(4, new ClientKeyLimits("{}", 10L, null, "year")).quota().period()).isNull();
  }
}
