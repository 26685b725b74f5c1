package io.tollgate.testing;

import static io.tollgate.testing.DeployFiles.DEPLOY;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The Tomcat 10.1 distribution that the build unpacked (system property tollgate.tomcat.home), run with a
 * CATALINA_BASE of its own made as deploy/tomcat/README.md says: the distribution's conf, deploy/tomcat/server.xml,
 * tollgate-container.jar in lib, the WAR as webapps/ROOT.war, and for a JNDI DataSource deploy/tomcat/context.xml as conf/Catalina/localhost/ROOT.xml.
 * DeployExamplesTest holds deploy/tomcat/README.md to these steps.
 */
public final class TomcatDistribution {
  private TomcatDistribution() {
  }

  public static Path home() {
    Path home = Path.of(System.getProperty("tollgate.tomcat.home", "target/containers/apache-tomcat"));
    if (!Files.isRegularFile(home.resolve("bin/catalina.sh"))) {
      throw new AssertionError("no Tomcat distribution at " + home + ": `mvn verify` unpacks it before the tests");
    }
    return home;
  }

  /** A fresh CATALINA_BASE under {@code parent} serving {@code war} as ROOT on {@code port}. */
  public static Path base(Path parent, Path war, int port) {
    Path base = DeployFiles.newBase(parent, "tomcat-");
    DeployFiles.createDirectories(base, List.of("lib", "logs", "temp", "webapps", "work"));
    DeployFiles.copyInto(home().resolve("conf"), base);
    String serverXml = DeployFiles.replaceOnce(DeployFiles.read(DEPLOY.resolve("tomcat/server.xml")),
        "<Connector port=\"8080\"", "<Connector port=\"" + port + "\"");
    DeployFiles.write(base.resolve("conf/server.xml"), serverXml);
    DeployFiles.copy(DeployFiles.containerJar(), base.resolve("lib/tollgate-container.jar"));
    DeployFiles.copy(war, base.resolve("webapps/ROOT.war"));
    return base;
  }

  /** deploy/tomcat/context.xml as the ROOT webapp's context, its DataSource pointed at {@code db}. */
  public static void jndiDataSource(Path base, TestDatabase db) {
    String xml = DeployFiles.read(DEPLOY.resolve("tomcat/context.xml"));
    xml = DeployFiles.replaceOnce(xml, "url=\"jdbc:postgresql://db.internal:5432/tollgate\"",
        "url=\"" + DeployFiles.xmlAttribute(db.jdbcUrl()) + "\"");
    xml = DeployFiles.replaceOnce(xml, "username=\"tollgate\"", "username=\"" + DeployFiles.xmlAttribute(db.user())
        + "\"");
    xml = DeployFiles.replaceOnce(xml, "password=\"change-me\"",
        "password=\"" + DeployFiles.xmlAttribute(db.password() == null ? "" : db.password()) + "\"");
    DeployFiles.write(base.resolve("conf/Catalina/localhost/ROOT.xml"), xml);
  }

  /** {@code $CATALINA_HOME/bin/catalina.sh run}, which runs Tomcat in the foreground (and SIGTERM stops it). */
  public static ProcessBuilder run(Path base, Map<String, String> settings) {
    Path home = home().toAbsolutePath();
    ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/catalina.sh").toString(), "run")
        .directory(base.toFile());
    Map<String, String> env = new HashMap<>(settings);
    env.put("CATALINA_HOME", home.toString());
    env.put("CATALINA_BASE", base.toAbsolutePath().toString());
    // Small and quick to start: these runs prove deployment, not speed.
    env.put("CATALINA_OPTS", "-Xmx256m -XX:TieredStopAtLevel=1");
    ContainerProcess.environment(builder, env);
    return builder;
  }
}
