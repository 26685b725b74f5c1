package io.tollgate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tollgate.config.BootstrapFile.ModelEntry;
import io.tollgate.config.BootstrapFile.TargetEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Model entries in the bootstrap file and as admin bodies: patterns, aliases, capabilities and their checks. */
class ModelEntriesTest {
  private static final String PROVIDERS = "providers: [{name: p, type: echo}, {name: q, type: echo}]\n";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  @Test
  void readsPatternsAliasesAndCapabilities() throws IOException {
    BootstrapFile file = read(PROVIDERS + """
        models:
          - name: gpt-4o
            targets: [{provider: p, model: gpt-4o-2024}, {provider: q}]
            aliases: [gpt4, 4o]
            max_tokens: ${MAX_TOKENS:-4096}
            supports_streaming: false
            supports_tools: "false"
          - name: deepseek-*
            targets: [{provider: p}, {provider: q, model: "*"}, {provider: q, model: fixed}]
          - name: plain
            targets: [{provider: p, model: "*"}]
        """);
    assertThat(file.models()).containsExactly(
        new ModelEntry("gpt-4o", List.of(new TargetEntry("p", "gpt-4o-2024"), new TargetEntry("q", "gpt-4o")),
            List.of("gpt4", "4o"), 4096, false, false),
        new ModelEntry("deepseek-*", List.of(new TargetEntry("p", "*"), new TargetEntry("q", "*"),
            new TargetEntry("q", "fixed")), List.of(), null, true, true),
        new ModelEntry("plain", List.of(new TargetEntry("p", "plain"))));
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource(delimiter = '|', textBlock = """
      [{name: a, targets: [{provider: p}]}, {name: b, aliases: [a], targets: [{provider: p}]}]            | models[1].aliases[0] 'a' is already the name of models[0]
      [{name: a, aliases: [x], targets: [{provider: p}]}, {name: b, aliases: [y, x], targets: [{provider: p}]}] | models[1].aliases[1] 'x' is already an alias of models[0]
      [{name: a, aliases: [b], targets: [{provider: p}]}, {name: b, targets: [{provider: p}]}]            | models[1].name 'b' is already an alias of models[0]
      [{name: a, aliases: [a], targets: [{provider: p}]}]                  | models[0].aliases[0] 'a' is the entry's own name
      [{name: a, aliases: [x, x], targets: [{provider: p}]}]               | models[0].aliases[1] 'x' is listed twice
      [{name: a, aliases: [x*], targets: [{provider: p}]}]                 | models[0].aliases[0] 'x*' must be an exact name, without *
      [{name: a, aliases: [[x]], targets: [{provider: p}]}]                | models[0].aliases[0] must be a single value
      [{name: a, aliases: [x, " 4o "], targets: [{provider: p}]}]          | models[0].aliases[1] must not start or end with whitespace
      [{name: "a\\tb", targets: [{provider: p}]}]                          | models[0].name must not contain control characters
      [{name: org//a, targets: [{provider: p}]}]                           | models[0].name may hold '/' only between two non-empty parts
      [{name: a, aliases: x, targets: [{provider: p}]}]                    | models[0].aliases must be a list of names
      [{name: a-*, aliases: [x], targets: [{provider: p}]}]                | models[0].aliases are for exact names; 'a-*' is a pattern
      [{name: a, max_tokens: 0, targets: [{provider: p}]}]                 | models[0].max_tokens must be a whole number of at least 1
      [{name: a, max_tokens: -5, targets: [{provider: p}]}]                | models[0].max_tokens must be a whole number of at least 1
      [{name: a, max_tokens: 1.5, targets: [{provider: p}]}]               | models[0].max_tokens must be a whole number of at least 1
      [{name: a, max_tokens: lots, targets: [{provider: p}]}]              | models[0].max_tokens must be a whole number of at least 1
      [{name: a, max_tokens: true, targets: [{provider: p}]}]              | models[0].max_tokens must be a whole number of at least 1
      [{name: a, max_tokens: 99999999999, targets: [{provider: p}]}]       | models[0].max_tokens must be a whole number of at least 1
      [{name: a, max_token: 5, targets: [{provider: p}]}]                  | models[0] has unknown key 'max_token'; expected aliases, max_tokens, name, supports_streaming, supports_tools, targets
      [{name: a, supports_tools: maybe, targets: [{provider: p}]}]         | models[0].supports_tools must be true or false
      [{name: a, supports_streaming: [], targets: [{provider: p}]}]        | models[0].supports_streaming must be a single value
      [{name: a-*, targets: [{provider: p, model: b-*}]}]                  | models[0].targets[0].model may be * (send the requested name) but not contain one
      [{name: a, targets: [{provider: p}]}, {name: a, targets: [{provider: q}]}] | models[1].name 'a' is already used by models[0]
      """)
  void rejectsWithAMessageNamingTheItem(String models, String message) throws IOException {
    Path file = write(PROVIDERS + "models: " + models + "\n");
    assertThatThrownBy(() -> BootstrapFile.read(file, Map.<String, String>of()::get))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(file + ": ")
        .hasMessageContaining(message);
  }

  @Test
  void anAdminBodyIsReadByTheSameRules() throws IOException {
    ModelEntry entry = BootstrapFile.model(JSON.readTree("""
        {"name": "fast", "targets": [{"provider": "p"}], "aliases": ["quick"], "max_tokens": "512",
         "supports_streaming": null}"""));
    assertThat(entry).isEqualTo(new ModelEntry("fast", List.of(new TargetEntry("p", "fast")), List.of("quick"), 512,
        true, true));
    assertThatThrownBy(() -> BootstrapFile.model(JSON.readTree(
        "{\"name\": \"m\", \"targets\": [{\"provider\": \"p\"}], \"max_tokens\": 0}")))
        .isInstanceOf(ConfigException.class).hasMessage("max_tokens must be a whole number of at least 1");
  }

  @Test
  void anEntrysNamesMustBeFreeAmongTheOthers() {
    List<ModelEntry> stored = List.of(new ModelEntry("gpt-4o", List.of(), List.of("4o"), null, true, true),
        new ModelEntry("claude", List.of()));
    BootstrapFile.checkNamesFree(new ModelEntry("new", List.of(), List.of("fresh"), null, true, true), stored);
    assertThatThrownBy(() -> BootstrapFile.checkNamesFree(
        new ModelEntry("new", List.of(), List.of("fresh", "claude"), null, true, true), stored))
        .isInstanceOf(ConfigException.class).hasMessage("aliases[1] 'claude' is already the name of model 'claude'");
    assertThatThrownBy(() -> BootstrapFile.checkNamesFree(new ModelEntry("4o", List.of()), stored))
        .isInstanceOf(ConfigException.class).hasMessage("name '4o' is already an alias of model 'gpt-4o'");
  }

  private BootstrapFile read(String yaml) throws IOException {
    return BootstrapFile.read(write(yaml), Map.<String, String>of()::get);
  }

  private Path write(String yaml) throws IOException {
    Path file = Files.createTempFile(dir, "tollgate", ".yaml");
    Files.writeString(file, yaml);
    return file;
  }
}
