package io.tollgate.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tollgate.error.ErrorType;
import io.tollgate.error.GatewayException;
import io.tollgate.provider.ModelCapabilities;
import io.tollgate.provider.Route;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RouterTest {
  private static final List<Provider> PROVIDERS = List.of(provider("main"), provider("deepseek"),
      provider("reasoner"), provider("catch-all"), provider("quick"));
  private static final ModelCapabilities CAPPED = new ModelCapabilities(256, false, false);
  private static final List<ModelDefinition> MODELS = List.of(
      new ModelDefinition("gpt-4o", List.of(target("main", "gpt-4o-2024")), List.of("gpt4", "4o"), CAPPED),
      new ModelDefinition("deepseek-special", List.of(target("main", "special-upstream"))),
      new ModelDefinition("deepseek-*", List.of(target("deepseek", "*"))),
      new ModelDefinition("deepseek-r*", List.of(target("reasoner", "*"))),
      new ModelDefinition("*-mini", List.of(target("main", "cheap-model"))),
      new ModelDefinition("*", List.of(target("gone", "*"), target("catch-all", "*"))));

  private static Provider provider(String name) {
    return new Provider(name, "openai", "http://" + name + ".invalid/v1", List.of(), false, false);
  }

  private static ModelDefinition.Target target(String provider, String model) {
    return new ModelDefinition.Target(provider, model);
  }

  private static Router router(String wildcardProvider, String actualName) {
    return new Router(ModelTable.of(PROVIDERS, MODELS, wildcardProvider, actualName));
  }

  @ParameterizedTest(name = "{0} -> {1} {2}")
  @CsvSource(delimiter = '|', textBlock = """
      gpt-4o             | main      | gpt-4o-2024
      gpt4               | main      | gpt-4o-2024
      4o                 | main      | gpt-4o-2024
      deepseek-special   | main      | special-upstream
      deepseek-chat      | deepseek  | deepseek-chat
      deepseek-          | deepseek  | deepseek-
      deepseek-reasoner  | reasoner  | deepseek-reasoner
      deepseek-r         | reasoner  | deepseek-r
      deepseek-r1-mini   | reasoner  | deepseek-r1-mini
      gpt-4o-mini        | main      | cheap-model
      llama3             | catch-all | llama3
      """)
  void exactNamesAndAliasesWinOverPatternsAndTheMostSpecificPatternWins(String requested, String provider,
      String upstreamModel) {
    Route route = resolve(router(null, null), requested);
    assertThat(route.publicModel()).isEqualTo(requested);
    assertThat(route.provider()).isEqualTo(provider);
    assertThat(route.upstreamModel()).isEqualTo(upstreamModel);
  }

  @Test
  void theRouteCarriesTheEntrysCapabilitiesAndPatternsHaveTheDefaults() {
    assertThat(resolve(router(null, null), "4o").capabilities()).isEqualTo(CAPPED);
    assertThat(resolve(router(null, null), "deepseek-chat").capabilities()).isEqualTo(ModelCapabilities.DEFAULT);
  }

  @Test
  void theQuickStartUpstreamTakesOnlyWhatNoEntryServes() {
    Router router = new Router(ModelTable.of(PROVIDERS, MODELS.subList(0, 3), "quick", null));
    assertThat(resolve(router, "gpt4").provider()).isEqualTo("main");
    assertThat(resolve(router, "deepseek-v3").provider()).isEqualTo("deepseek");
    Route other = resolve(router, "llama3");
    assertThat(other.provider()).isEqualTo("quick");
    assertThat(other.upstreamModel()).isEqualTo("llama3");
  }

  @Test
  void anUnknownNameIsModelNotFound() {
    Router router = new Router(ModelTable.of(PROVIDERS, MODELS.subList(0, 3), null, null));
    assertThatThrownBy(() -> resolve(router, "llama3")).isInstanceOfSatisfying(GatewayException.class, e -> {
      assertThat(e.type()).isEqualTo(ErrorType.MODEL_NOT_FOUND);
      assertThat(e.getMessage()).contains("'llama3' does not exist");
    });
    assertThat(router.providerFor("llama3")).isEmpty();
    assertThat(router.providerFor("gpt4")).contains("main");
  }

  @Test
  void actualNameServesEveryRequestWithOneEntryUnderTheRequestedName() {
    Router router = router(null, "4o");
    for (String requested : List.of("gpt-3.5-turbo", "claude-3-opus", "deepseek-chat", "4o")) {
      Route route = resolve(router, requested);
      assertThat(route.publicModel()).isEqualTo(requested);
      assertThat(route.provider()).isEqualTo("main");
      assertThat(route.upstreamModel()).isEqualTo("gpt-4o-2024");
      assertThat(route.capabilities()).isEqualTo(CAPPED);
    }
  }

  @Test
  void actualNameWithAPatternOrTheQuickStartSendsThatName() {
    assertThat(resolve(router(null, "deepseek-v3"), "gpt-4").upstreamModel()).isEqualTo("deepseek-v3");
    Route quick = resolve(new Router(ModelTable.of(PROVIDERS, List.of(), "quick", "qwen2.5:7b")), "gpt-4");
    assertThat(quick.provider()).isEqualTo("quick");
    assertThat(quick.upstreamModel()).isEqualTo("qwen2.5:7b");
    assertThat(quick.publicModel()).isEqualTo("gpt-4");
  }

  @Test
  void anActualNameNothingServesSaysSo() {
    Router router = new Router(ModelTable.of(PROVIDERS, MODELS.subList(0, 2), null, "missing"));
    assertThatThrownBy(() -> resolve(router, "gpt-4o")).isInstanceOf(GatewayException.class)
        .hasMessageContaining("ACTUAL_NAME 'missing'");
  }

  @Test
  void aReplacedTableIsUsedAtOnce() {
    Router router = router(null, null);
    router.replace(ModelTable.of(PROVIDERS, List.of(new ModelDefinition("gpt-*", List.of(target("deepseek", "*")))),
        null, null));
    assertThat(resolve(router, "gpt-4o").provider()).isEqualTo("deepseek");
    assertThat(router.providerFor("4o")).isEmpty();
  }

  /** The route of the plan's first target, as the first attempt would take it (without a key). */
  private static Route resolve(Router router, String model) {
    Plan plan = router.plan(model);
    Plan.Candidate first = plan.candidates().get(0);
    return new Route(plan.publicModel(), first.provider().name(), first.provider().type(), first.provider().baseUrl(),
        first.upstreamModel(), null, false, java.util.Map.of(), plan.capabilities());
  }

  @Test
  void aPlanListsTargetsByPriorityThenByTheirPlaceAndKeepsTheirWeights() {
    Router router = new Router(ModelTable.of(PROVIDERS, List.of(new ModelDefinition("tiered", List.of(
        new ModelDefinition.Target("deepseek", "b", 2, 1), new ModelDefinition.Target("main", "a", 1, 3),
        new ModelDefinition.Target("reasoner", "c", 1, 1), new ModelDefinition.Target("gone", "x", 0, 1)))),
        null, null));
    Plan plan = router.plan("tiered");
    assertThat(plan.candidates()).extracting(c -> c.provider().name() + ":" + c.priority() + ":" + c.weight())
        .containsExactly("main:1:3", "reasoner:1:1", "deepseek:2:1");
    Plan ordered = new Router(ModelTable.of(PROVIDERS, List.of(new ModelDefinition("listed", List.of(
        target("reasoner", "r"), target("main", "m")))), null, null)).plan("listed");
    assertThat(ordered.candidates()).extracting(Plan.Candidate::priority).containsExactly(0, 1);
  }
}
