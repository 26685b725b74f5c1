package io.tollgate.v1;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.error.ErrorType;
import io.tollgate.error.GatewayException;
import io.tollgate.openai.OpenAiRequest;
import io.tollgate.provider.AdapterRegistry;
import io.tollgate.provider.ChunkSink;
import io.tollgate.provider.ProviderAdapter;
import io.tollgate.provider.Route;
import io.tollgate.routing.Provider;
import io.tollgate.testing.CapturedLogs;
import io.tollgate.upstream.UpstreamCall;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ProviderModelListsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Provider LISTS = new Provider("lists", "listing", "http://x.invalid", List.of(), false, false);
  private static final Provider FAILS = new Provider("fails", "failing", "http://y.invalid", List.of(), false, false);

  private final Counting listing = new Counting("listing", true);
  private final Counting failing = new Counting("failing", false);
  private final AdapterRegistry adapters = new AdapterRegistry(List.of(listing, failing));

  @Test
  void aListIsAskedForOncePerCachePeriod() throws InterruptedException {
    ProviderModelLists lists = new ProviderModelLists(adapters, Duration.ofSeconds(1), Duration.ofMillis(300));
    assertThat(lists.of(LISTS)).extracting(m -> m.path("id").asText()).containsExactly("a-1", "b-1");
    assertThat(lists.of(LISTS)).hasSize(2);
    assertThat(listing.calls.get()).isEqualTo(1);
    Thread.sleep(400);
    lists.of(LISTS);
    assertThat(listing.calls.get()).isEqualTo(2);
    lists.clear();
    lists.of(LISTS);
    assertThat(listing.calls.get()).isEqualTo(3);
  }

  @Test
  void aFailedListingIsKeptForAtMostThirtySecondsAndWarnedAboutOnce() throws InterruptedException {
    try (CapturedLogs logs = CapturedLogs.attach(ProviderModelLists.class.getName())) {
      ProviderModelLists lists = new ProviderModelLists(adapters, Duration.ofSeconds(1), Duration.ofMinutes(5));
      for (int i = 0; i < 5; i++) {
        assertThat(lists.of(FAILS)).isEmpty();
      }
      assertThat(failing.calls.get()).isEqualTo(1);
      assertThat(logs.lines()).singleElement().satisfies(l -> {
        assertThat(l.level()).isEqualTo("WARN");
        assertThat(l.message()).contains("provider fails", "not asked again for 30 s");
      });
    }
    ProviderModelLists shortLived = new ProviderModelLists(adapters, Duration.ofSeconds(1), Duration.ofMillis(100));
    shortLived.of(FAILS);
    Thread.sleep(200);
    shortLived.of(FAILS);
    assertThat(failing.calls.get()).as("a cache period under 30 s bounds failures too").isEqualTo(3);
  }

  @Test
  void aZeroPeriodAsksEveryTime() {
    ProviderModelLists lists = new ProviderModelLists(adapters, Duration.ofSeconds(1), Duration.ZERO);
    lists.of(LISTS);
    lists.of(LISTS);
    assertThat(listing.calls.get()).isEqualTo(2);
  }

  /** An adapter that only lists models (two, or fails), counting how often it was asked. */
  private static final class Counting implements ProviderAdapter {
    final AtomicInteger calls = new AtomicInteger();
    private final String type;
    private final boolean lists;

    Counting(String type, boolean lists) {
      this.type = type;
      this.lists = lists;
    }

    @Override
    public String type() {
      return type;
    }

    @Override
    public CompletableFuture<byte[]> call(Route route, OpenAiRequest request) {
      throw new UnsupportedOperationException();
    }

    @Override
    public UpstreamCall stream(Route route, OpenAiRequest request, ChunkSink sink) {
      throw new UnsupportedOperationException();
    }

    @Override
    public CompletableFuture<JsonNode> listModels(Route route) {
      calls.incrementAndGet();
      if (!lists) {
        return CompletableFuture.failedFuture(GatewayException.of(ErrorType.NOT_FOUND, "cannot list"));
      }
      ObjectNode list = JSON.createObjectNode().put("object", "list");
      list.putArray("data").add(JSON.createObjectNode().put("id", "a-1")).add(JSON.createObjectNode().put("id", "b-1"));
      return CompletableFuture.completedFuture(list);
    }
  }
}
