package io.tollgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.testing.ContainerProcess;
import io.tollgate.testing.TestDatabase;
import io.tollgate.testing.TomcatDistribution;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The packaged WAR on the Tomcat 10.1 distribution from Maven Central, deployed with deploy/tomcat's files as its
 * README says, once on TOLLGATE_DB_URL and once on the JNDI DataSource of deploy/tomcat/context.xml. Run by failsafe
 * after the build has unpacked the distribution (pom.xml: unpack-containers).
 */
class TomcatDistributionWarTest {
  private TestDatabase db;
  private ContainerProcess tomcat;

  @AfterEach
  void cleanUp() {
    try {
      if (tomcat != null) {
        tomcat.close();
      }
    } finally {
      if (db != null) {
        db.close();
      }
    }
  }

  @Test
  void servesOnTheDatabaseUrl() {
    db = TestDatabase.create();
    int port = ContainerProcess.freePort();
    Path base = TomcatDistribution.base(runs(), war(), port);
    Map<String, String> settings = ContainerSmoke.withDatabaseUrl(ContainerSmoke.settings(base), db);
    tomcat = start(base, port, settings);
    assertThat(tomcat.log()).contains("started: database jdbc:postgresql:", "/" + db.name() + ",");
    new ContainerSmoke(tomcat, db).run().stopCleanly(base.resolve("logs"), "access\\..*\\.log");
  }

  @Test
  void servesOnTheJndiDataSourceOfTheContextXmlExample() {
    db = TestDatabase.create();
    int port = ContainerProcess.freePort();
    Path base = TomcatDistribution.base(runs(), war(), port);
    TomcatDistribution.jndiDataSource(base, db);
    assertThat(TomcatDistribution.home().resolve("lib")).as("PostgreSQL's driver, for Tomcat's own pool")
        .isDirectoryContaining(p -> p.getFileName().toString().startsWith("postgresql-"));
    tomcat = start(base, port, ContainerSmoke.settings(base));
    assertThat(tomcat.log()).contains("started: database JNDI java:comp/env/jdbc/tollgate (jdbc:postgresql:",
        "/" + db.name() + ")");
    new ContainerSmoke(tomcat, db).run().stopCleanly(base.resolve("logs"), "access\\..*\\.log");
  }

  private static ContainerProcess start(Path base, int port, Map<String, String> settings) {
    return ContainerProcess.start(TomcatDistribution.run(base, settings), base.resolve("logs/console.log"),
        "http://127.0.0.1:" + port, ContainerSmoke.START_TIMEOUT);
  }

  static Path war() {
    Path war = Path.of(System.getProperty("tollgate.war", "target/tollgate.war"));
    assertThat(war).as("run `mvn verify`: the WAR is built in the package phase").isRegularFile();
    return war;
  }

  static Path runs() {
    return war().toAbsolutePath().getParent().resolve("container-runs");
  }
}
