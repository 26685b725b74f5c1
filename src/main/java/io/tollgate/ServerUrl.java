package io.tollgate;

import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.Optional;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

/**
 * Where this webapp answers, for the start-up banner: the servlet context path on the container's HTTP port. The
 * port comes from system property {@code tollgate.port} (the run command sets it), else from Tomcat's connector
 * MBeans; when neither tells, the URL says {@code <port>} rather than guess a wrong one.
 */
final class ServerUrl {
  static final String PORT_PROPERTY = "tollgate.port";

  private ServerUrl() {
  }

  static String of(String contextPath) {
    return of(contextPath, System.getProperty(PORT_PROPERTY), ManagementFactory.getPlatformMBeanServer());
  }

  static String of(String contextPath, String portProperty, MBeanServer mbeans) {
    return Optional.ofNullable(portProperty).filter(p -> p.matches("\\d{1,5}"))
        .map(p -> "http://localhost:" + p)
        .or(() -> tomcatConnector(mbeans))
        .orElse("http://<host>:<port>") + contextPath;
  }

  /**
   * Tomcat registers each connector as {@code <engine>:type=Connector,port=...} (the engine is "Catalina" in a
   * standalone Tomcat); an HTTP one without TLS is preferred, AJP is never a URL a browser or curl can use.
   */
  private static Optional<String> tomcatConnector(MBeanServer server) {
    String https = null;
    for (ObjectName name : server.queryNames(pattern(), null)) {
      try {
        Object protocol = server.getAttribute(name, "protocol");
        if (server.getAttribute(name, "localPort") instanceof Integer port && port > 0
            && !String.valueOf(protocol).toLowerCase(Locale.ROOT).contains("ajp")) {
          if (!Boolean.TRUE.equals(server.getAttribute(name, "secure"))) {
            return Optional.of("http://localhost:" + port);
          }
          https = https == null ? "https://localhost:" + port : https;
        }
      } catch (JMException | RuntimeException notTomcats) {
        // some other container's MBean of that name: skip it
      }
    }
    return Optional.ofNullable(https);
  }

  private static ObjectName pattern() {
    try {
      return new ObjectName("*:type=Connector,*");
    } catch (MalformedObjectNameException e) {
      throw new IllegalStateException(e);
    }
  }
}
