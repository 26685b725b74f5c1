package io.tollgate.testing;

import static io.tollgate.testing.DeployFiles.DEPLOY;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The Jetty 12 distribution (jetty-home) that the build unpacked (system property tollgate.jetty.home), run on a
 * jetty-base made as deploy/jetty/README.md says: deploy/jetty's start.d, modules, etc and webapps,
 * tollgate-container.jar in lib, a logs folder for the request log, and the WAR as webapps/ROOT.war.
 * DeployExamplesTest holds deploy/jetty/README.md to these steps.
 */
public final class JettyDistribution {
  private JettyDistribution() {
  }

  public static Path home() {
    Path home = Path.of(System.getProperty("tollgate.jetty.home", "target/containers/jetty-home"));
    if (!Files.isRegularFile(home.resolve("start.jar"))) {
      throw new AssertionError("no jetty-home at " + home + ": `mvn verify` unpacks it before the tests");
    }
    return home;
  }

  /** A fresh jetty-base under {@code parent} serving {@code war} at /. */
  public static Path base(Path parent, Path war) {
    Path base = DeployFiles.newBase(parent, "jetty-");
    DeployFiles.copyInto(DEPLOY.resolve("jetty/start.d"), base);
    DeployFiles.copyInto(DEPLOY.resolve("jetty/modules"), base);
    DeployFiles.copyInto(DEPLOY.resolve("jetty/etc"), base);
    DeployFiles.copyInto(DEPLOY.resolve("jetty/webapps"), base);
    DeployFiles.createDirectories(base, List.of("lib", "logs", "tmp"));
    DeployFiles.copy(DeployFiles.containerJar(), base.resolve("lib/tollgate-container.jar"));
    DeployFiles.copy(war, base.resolve("webapps/ROOT.war"));
    return base;
  }

  /** {@code java -jar $JETTY_HOME/start.jar} in the jetty-base, the port given on the command line. */
  public static ProcessBuilder run(Path base, int port, Map<String, String> settings) {
    Path tmp = base.toAbsolutePath().resolve("tmp");
    // Small and quick to start, and the unpacked webapp under the base rather than in /tmp.
    ProcessBuilder builder = new ProcessBuilder(ContainerProcess.java(), "-Xmx256m", "-XX:TieredStopAtLevel=1",
        "-Djava.io.tmpdir=" + tmp, "-jar", home().toAbsolutePath().resolve("start.jar").toString(),
        "jetty.http.port=" + port).directory(base.toFile());
    ContainerProcess.environment(builder, settings);
    return builder;
  }
}
