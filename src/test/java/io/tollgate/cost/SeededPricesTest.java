package io.tollgate.cost;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.config.GatewayConfig.DbConfig;
import io.tollgate.openai.Usage;
import io.tollgate.persistence.Database;
import io.tollgate.persistence.PriceRecord;
import io.tollgate.persistence.PriceRepository;
import io.tollgate.persistence.Tx;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The V6 seed, migrated into the zero-setup H2 database (PostgreSQL's twin is exercised by every e2e test), read the
 * way the gateway reads it: dated snapshots find their family's price, a more specific pattern wins.
 */
class SeededPricesTest {
  @TempDir
  static Path home;
  private static Database db;
  private static PriceTable prices;

  @BeforeAll
  static void migrate() {
    db = Database.open(new DbConfig(null, null, null, "java:comp/env/jdbc/none", 2), home.resolve("data"));
    prices = new PriceTable(new PriceRepository(new Tx(db.entityManagerFactory())).findAll());
  }

  @AfterAll
  static void close() {
    db.close();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(nullValues = "none", value = {
      "gpt-4o, 2.50, 1.25, 10.00", "gpt-4o-2024-08-06, 2.50, 1.25, 10.00", "gpt-4o-2024-05-13, 5.00, none, 15.00",
      "gpt-4o-mini-2024-07-18, 0.15, 0.075, 0.60", "gpt-4.1-mini-2025-04-14, 0.40, 0.10, 1.60",
      "o3-mini-2025-01-31, 1.10, 0.55, 4.40", "o3-2025-04-16, 2.00, 0.50, 8.00", "gpt-5-nano, 0.05, 0.005, 0.40",
      "gpt-5-2025-08-07, 1.25, 0.125, 10.00", "text-embedding-3-large, 0.13, none, 0",
      "claude-3-5-haiku-20241022, 0.80, 0.08, 4.00", "claude-sonnet-4-5-20250929, 3.00, 0.30, 15.00",
      "claude-opus-4-1-20250805, 15.00, 1.50, 75.00", "claude-opus-4-20250514, 15.00, 1.50, 75.00",
      "claude-opus-4-5-20251101, 5.00, 0.50, 25.00", "gemini-2.5-flash-lite, 0.10, 0.01, 0.40",
      "gemini-2.5-flash-preview-05-20, 0.30, 0.03, 2.50", "gemini-1.5-pro-002, 1.25, 0.3125, 5.00",
      "deepseek-reasoner, 0.28, 0.028, 0.42"})
  void aSeededModelFindsItsPublicListPrice(String model, String input, String cached, String output) {
    PriceRecord price = prices.priceOf(model).orElseThrow();
    assertThat(price.input()).isEqualByComparingTo(input);
    assertThat(Optional.ofNullable(price.cachedInput()).map(Object::toString).orElse(null) == null)
        .isEqualTo(cached == null);
    if (cached != null) {
      assertThat(price.cachedInput()).isEqualByComparingTo(cached);
    }
    assertThat(price.output()).isEqualByComparingTo(output);
    assertThat(price.source()).isEqualTo("seed");
  }

  @ParameterizedTest
  @CsvSource({"some-local-llm", "gpt-4", "llama3"})
  void anUnknownModelHasNoPrice(String model) {
    assertThat(prices.priceOf(model)).isEmpty();
  }

  @ParameterizedTest
  @CsvSource({"1000000, 0, 0, 2.50000000", "1000000, 1000000, 0, 1.25000000", "0, 0, 1000, 0.01000000"})
  void theCostIsTheSeededArithmetic(int prompt, int cached, int completion, String usd) {
    assertThat(PriceTable.cost(prices.priceOf("gpt-4o").orElseThrow(), new Usage(prompt, completion, cached, null)))
        .isEqualByComparingTo(usd);
  }
}
