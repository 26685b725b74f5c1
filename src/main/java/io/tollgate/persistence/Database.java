package io.tollgate.persistence;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.micrometer.core.instrument.MeterRegistry;
import io.tollgate.config.GatewayConfig;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Persistence;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The gateway's database: a DataSource (our own pool over a JDBC URL, the container's JNDI DataSource, or an H2
 * file under the home directory, in that order), migrated by Flyway and wrapped by one EntityManagerFactory.
 */
public final class Database implements AutoCloseable {
  private static final Pattern URL_USERINFO = Pattern.compile("//[^/@?;]*@");
  private static final Pattern URL_SECRET_PARAM =
      Pattern.compile("(?i)([?&;](?:password|pwd|user|username|sslpassword)=)[^&;]*");

  private final DataSource dataSource;
  private final HikariDataSource ownPool;
  private final EntityManagerFactory emf;
  private final String vendor;
  private final String description;
  private final boolean embeddedDefault;

  private Database(DataSource dataSource, HikariDataSource ownPool, EntityManagerFactory emf, String vendor,
      String description, boolean embeddedDefault) {
    this.dataSource = dataSource;
    this.ownPool = ownPool;
    this.emf = emf;
    this.vendor = vendor;
    this.description = description;
    this.embeddedDefault = embeddedDefault;
  }

  public static Database open(GatewayConfig.DbConfig db, Path home) {
    return open(db, home, null);
  }

  /** With {@code meters} (may be null), our own pool reports to it (hikaricp_*); a container's DataSource cannot. */
  public static Database open(GatewayConfig.DbConfig db, Path home, MeterRegistry meters) {
    HikariDataSource pool = null;
    DataSource ds;
    String source;
    if (db.url() != null) {
      pool = pool(db.url(), db.user(), db.password() == null ? null : db.password().reveal(), db.poolSize(),
          meters);
      ds = pool;
      source = redact(db.url());
    } else if ((ds = jndi(db.jndiName())) != null) {
      source = "JNDI " + db.jndiName();
    } else {
      String url = "jdbc:h2:file:" + h2Home(home).resolve("tollgate") + ";DB_CLOSE_ON_EXIT=FALSE";
      pool = pool(url, "sa", "", db.poolSize(), meters);
      ds = pool;
      source = url;
    }
    try {
      String vendor = vendor(ds);
      if (pool == null) {
        source += " (" + redact(url(ds)) + ")";
      }
      migrate(ds, vendor);
      return new Database(ds, pool, entityManagerFactory(ds), vendor, source, db.url() == null && pool != null);
    } catch (RuntimeException e) {
      if (pool != null) {
        pool.close();
      }
      throw e;
    }
  }

  public DataSource dataSource() {
    return dataSource;
  }

  public EntityManagerFactory entityManagerFactory() {
    return emf;
  }

  /** Our own pool's threads (none for a container's DataSource), for tests. */
  PoolThreads poolThreads() {
    return ownPool == null ? new PoolThreads("none") : PoolThreads.of(ownPool);
  }

  /** "postgresql", "h2", ...: the name of the migration folder in use. */
  public String vendor() {
    return vendor;
  }

  /** Whether this is the zero-setup default, H2 under TOLLGATE_HOME: neither a JDBC URL nor a JNDI DataSource. */
  public boolean embeddedDefault() {
    return embeddedDefault;
  }

  /** Where the data lives, without credentials, for one start-up log line. */
  public String description() {
    return description;
  }

  /** Closes the EntityManagerFactory and our own pool; a container's JNDI DataSource belongs to the container. */
  @Override
  public void close() {
    try {
      if (emf.isOpen()) {
        emf.close();
      }
    } finally {
      if (ownPool != null) {
        ownPool.close();
        PoolThreads.of(ownPool).awaitExit();
      }
    }
  }

  private static HikariDataSource pool(String url, String user, String password, int size, MeterRegistry meters) {
    HikariConfig hc = new HikariConfig();
    hc.setPoolName("tollgate-db");
    hc.setJdbcUrl(url);
    // Naming the driver class lets Hikari load it through the webapp's class loader; DriverManager alone may not
    // see drivers inside WEB-INF/lib.
    if (url.startsWith("jdbc:postgresql:")) {
      hc.setDriverClassName("org.postgresql.Driver");
      // Turns a JDBC batch into multi-row INSERTs (the usage log). A value in the URL still wins.
      hc.addDataSourceProperty("reWriteBatchedInserts", "true");
      // Keeps row values (a failing row, bound parameters) out of exception messages and so out of logs.
      hc.addDataSourceProperty("logServerErrorDetail", "false");
    } else if (url.startsWith("jdbc:h2:")) {
      hc.setDriverClassName("org.h2.Driver");
    }
    if (user != null && !user.isEmpty()) {
      hc.setUsername(user);
    }
    if (password != null) {
      hc.setPassword(password); // an empty password is a valid password
    }
    hc.setMaximumPoolSize(size);
    hc.setMinimumIdle(Math.min(2, size));
    hc.setThreadFactory(new PoolThreads(hc.getPoolName()));
    if (meters != null) {
      hc.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(meters));
    }
    try {
      return new HikariDataSource(hc);
    } catch (RuntimeException e) {
      // Hikari's and the drivers' messages do not carry the password; the URL is redacted for the same reason.
      throw new IllegalStateException("cannot connect to database " + redact(url) + ": " + e.getMessage(), e);
    }
  }

  private static DataSource jndi(String name) {
    if (name == null || name.isBlank()) {
      return null;
    }
    try {
      Object found = new InitialContext().lookup(name);
      return found instanceof DataSource ds ? ds : null;
    } catch (NamingException e) {
      return null; // outside a container, or no such resource: fall through to the next choice
    }
  }

  private static Path h2Home(Path home) {
    Path abs = home.toAbsolutePath().normalize();
    try {
      Files.createDirectories(abs);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create TOLLGATE_HOME " + abs, e);
    }
    return abs;
  }

  private static String vendor(DataSource ds) {
    try (Connection c = ds.getConnection()) {
      String product = c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
      return product.contains("postgres") ? "postgresql" : product.replaceAll("[^a-z0-9]", "");
    } catch (SQLException e) {
      throw new IllegalStateException("cannot connect to the database: " + e.getMessage(), e);
    }
  }

  private static String url(DataSource ds) {
    try (Connection c = ds.getConnection()) {
      return String.valueOf(c.getMetaData().getURL());
    } catch (SQLException e) {
      return "unknown URL";
    }
  }

  // Flyway itself does not expand "{vendor}" (that is a Spring Boot feature), so the folder is chosen here.
  private static void migrate(DataSource ds, String vendor) {
    String folder = "db/migration/" + vendor;
    ClassLoader loader = Database.class.getClassLoader();
    if (loader.getResource(folder + "/V1__init.sql") == null) {
      throw new IllegalStateException("Tollgate has no schema for database " + vendor
          + "; use PostgreSQL or the built-in H2");
    }
    Flyway.configure(loader)
        .dataSource(ds)
        .locations("classpath:" + folder)
        .baselineOnMigrate(false)
        .load()
        .migrate();
  }

  private static EntityManagerFactory entityManagerFactory(DataSource ds) {
    Map<String, Object> props = Map.of(
        "jakarta.persistence.nonJtaDataSource", ds,
        "hibernate.hbm2ddl.auto", "none",
        "jakarta.persistence.schema-generation.database.action", "none",
        "hibernate.show_sql", "false");
    return Persistence.createEntityManagerFactory("tollgate", props);
  }

  static String redact(String url) {
    return URL_SECRET_PARAM.matcher(URL_USERINFO.matcher(url).replaceFirst("//")).replaceAll("$1****");
  }
}
