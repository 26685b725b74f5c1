package io.tollgate.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.tollgate.config.GatewayConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/**
 * The settings the gateway reads ({@link GatewayConfig#KEYS}) and the places that name them cannot drift apart: the
 * reference in docs/CONFIG.md, deploy/docker/.env.example, the compose file and the Kubernetes manifests. The
 * Dockerfile copies files that exist and the WAR the build makes.
 */
class ConfigReferenceTest {
  private static final Path DEPLOY = Path.of("deploy");
  /** Names outside the gateway's own: for PostgreSQL's image and the JVM. */
  private static final Set<String> NOT_OURS = Set.of("POSTGRES_PASSWORD", "POSTGRES_DB", "POSTGRES_USER");

  @Test
  void everySettingIsInTheReferenceTables() throws Exception {
    Set<String> documented = new TreeSet<>();
    Matcher row = Pattern.compile("(?m)^\\| (`[A-Z][A-Z0-9_]+`[^|]*) \\|").matcher(
        Files.readString(Path.of("docs/CONFIG.md")));
    while (row.find()) {
      Matcher name = Pattern.compile("`([A-Z][A-Z0-9_]+)`").matcher(row.group(1));
      while (name.find()) {
        documented.add(name.group(1));
      }
    }
    assertThat(documented).containsAll(GatewayConfig.KEYS);
  }

  @Test
  void theReadmeTableHasEverySettingWithTheReferencesDefault() throws Exception {
    String readme = Files.readString(Path.of("README.md"));
    int start = readme.indexOf("## Configuration reference");
    assertThat(start).as("README's configuration reference").isPositive();
    int end = readme.indexOf("\n## ", start + 1);
    Map<String, String> inReadme = defaults(readme.substring(start, end < 0 ? readme.length() : end));
    Map<String, String> inReference = defaults(Files.readString(Path.of("docs/CONFIG.md")));
    assertThat(inReadme.keySet()).containsAll(GatewayConfig.KEYS);
    GatewayConfig.KEYS.forEach(name -> assertThat(inReadme.get(name)).as("README's default of %s", name)
        .isEqualTo(inReference.get(name)));
  }

  /** Each setting named in a table row's first cell, with the row's second cell, its default. */
  private static Map<String, String> defaults(String markdown) {
    Map<String, String> found = new TreeMap<>();
    Matcher row = Pattern.compile("(?m)^\\| (`[A-Z][A-Z0-9_]+`[^|]*) \\| ([^|]*) \\|").matcher(markdown);
    while (row.find()) {
      Matcher name = Pattern.compile("`([A-Z][A-Z0-9_]+)`").matcher(row.group(1));
      while (name.find()) {
        found.putIfAbsent(name.group(1), row.group(2).strip());
      }
    }
    return found;
  }

  @Test
  void theEnvExampleNamesEverySettingAndNothingElse() throws Exception {
    Set<String> named = new TreeSet<>();
    Matcher line = Pattern.compile("(?m)^(?:# )?([A-Z][A-Z0-9_]+)=").matcher(
        Files.readString(DEPLOY.resolve("docker/.env.example")));
    while (line.find()) {
      named.add(line.group(1));
    }
    named.removeAll(NOT_OURS);
    assertThat(named).isEqualTo(new TreeSet<>(GatewayConfig.KEYS));
  }

  @Test
  void composeAndKubernetesSetOnlySettingsTheGatewayReads() throws Exception {
    YAMLMapper yaml = new YAMLMapper();
    JsonNode compose = yaml.readTree(DEPLOY.resolve("docker/docker-compose.yml").toFile());
    List<String> names = new ArrayList<>();
    compose.at("/services/tollgate/environment").fieldNames().forEachRemaining(names::add);
    assertThat(compose.at("/services/tollgate/build/dockerfile").asText()).isEqualTo("deploy/docker/Dockerfile");
    assertThat(compose.at("/services/tollgate/env_file").asText()).isEqualTo(".env");

    List<String> kinds = new ArrayList<>();
    try (MappingIterator<JsonNode> docs = yaml.readValues(yaml.createParser(
        DEPLOY.resolve("kubernetes/tollgate.yaml").toFile()), JsonNode.class)) {
      while (docs.hasNext()) {
        JsonNode doc = docs.next();
        kinds.add(doc.path("kind").asText());
        JsonNode data = doc.has("stringData") ? doc.get("stringData") : doc.path("data");
        for (Iterator<String> it = data.fieldNames(); it.hasNext(); ) {
          names.add(it.next());
        }
        if (doc.path("kind").asText().equals("Deployment")) {
          JsonNode container = doc.at("/spec/template/spec/containers/0");
          assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/health");
          assertThat(container.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/healthz");
        }
      }
    }
    assertThat(kinds).containsExactlyInAnyOrder("ConfigMap", "Secret", "Deployment", "Service");
    assertThat(names).isNotEmpty().allSatisfy(n -> assertThat(GatewayConfig.KEYS).contains(n));
  }

  @Test
  void theDockerfileCopiesWhatExistsAndTheWarTheBuildMakes() throws Exception {
    String dockerfile = Files.readString(DEPLOY.resolve("docker/Dockerfile"));
    Matcher copy = Pattern.compile("(?m)^COPY (?!--from)(?:--\\S+ )*(\\S+) ").matcher(dockerfile);
    int copies = 0;
    while (copy.find()) {
      assertThat(Path.of(copy.group(1))).as("COPY source").exists();
      copies++;
    }
    assertThat(copies).isGreaterThanOrEqualTo(3);
    String pom = Files.readString(Path.of("pom.xml"));
    assertThat(pom).contains("<packaging>war</packaging>").contains("<finalName>tollgate</finalName>");
    assertThat(dockerfile).contains("COPY --from=build --chown=tollgate:tollgate /src/target/tollgate.war "
        + "/usr/local/tomcat/webapps/ROOT.war").contains("USER tollgate").contains("HEALTHCHECK");
    assertThat(dockerfile).contains("maxThreads=\"200\"");
    assertThat(Files.readString(DEPLOY.resolve("tomcat/server.xml"))).as("what the Dockerfile's sed replaces")
        .contains("maxThreads=\"200\"");
  }

  @Test
  void theTomcatContextExampleOffersTheDataSourceWhereTheGatewayLooks() throws Exception {
    Element resource = (Element) DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(DEPLOY.resolve("tomcat/context.xml").toFile()).getElementsByTagName("Resource").item(0);
    assertThat("java:comp/env/" + resource.getAttribute("name")).isEqualTo(GatewayConfig.DEFAULT_JNDI);
    assertThat(resource.getAttribute("type")).isEqualTo("javax.sql.DataSource");
  }
}
