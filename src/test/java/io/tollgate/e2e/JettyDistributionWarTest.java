package io.tollgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.testing.ContainerProcess;
import io.tollgate.testing.JettyDistribution;
import io.tollgate.testing.TestDatabase;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The packaged WAR on the Jetty 12 distribution (jetty-home) from Maven Central, on a jetty-base made from
 * deploy/jetty as its README says, on TOLLGATE_DB_URL. Run by failsafe after the build has unpacked the
 * distribution (pom.xml: unpack-containers).
 */
class JettyDistributionWarTest {
  private TestDatabase db;
  private ContainerProcess jetty;

  @AfterEach
  void cleanUp() {
    try {
      if (jetty != null) {
        jetty.close();
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
    Path base = JettyDistribution.base(TomcatDistributionWarTest.runs(), TomcatDistributionWarTest.war());
    jetty = ContainerProcess.start(
        JettyDistribution.run(base, port, ContainerSmoke.withDatabaseUrl(ContainerSmoke.settings(base), db)),
        base.resolve("logs/console.log"), "http://127.0.0.1:" + port, ContainerSmoke.START_TIMEOUT);
    assertThat(jetty.log()).contains("started: database jdbc:postgresql:", "/" + db.name() + ",",
        "Started oeje10w.WebAppContext");
    new ContainerSmoke(jetty, db).run().stopCleanly(base.resolve("logs"), ".*\\.request\\.log");
  }
}
