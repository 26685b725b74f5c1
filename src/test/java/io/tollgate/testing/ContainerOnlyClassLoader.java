package io.tollgate.testing;

import java.io.IOException;
import java.net.URL;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

/**
 * The parent of a packaged WAR's class loader: the JDK plus what Tomcat itself provides (the Servlet API and the
 * container's classes), and nothing from the test class path, so the WAR must bring every other library itself.
 */
final class ContainerOnlyClassLoader extends ClassLoader {
  // The packages Tomcat's WebappClassLoaderBase.filter() always loads from its parent.
  private static final List<String> CONTAINER_PACKAGES = List.of("jakarta.servlet.", "jakarta.el.",
      "jakarta.websocket.", "jakarta.security.auth.message.", "org.apache.catalina.", "org.apache.coyote.",
      "org.apache.el.", "org.apache.jasper.", "org.apache.juli.", "org.apache.naming.", "org.apache.tomcat.");

  private final ClassLoader container;

  ContainerOnlyClassLoader(ClassLoader container) {
    super("container-only", ClassLoader.getPlatformClassLoader());
    this.container = container;
  }

  @Override
  protected Class<?> findClass(String name) throws ClassNotFoundException {
    if (CONTAINER_PACKAGES.stream().anyMatch(name::startsWith)) {
      return container.loadClass(name);
    }
    throw new ClassNotFoundException(name + " is neither in the JDK nor provided by Tomcat");
  }

  // Tomcat reads some of its own classes as resources, JdbcLeakPrevention for one.
  @Override
  protected URL findResource(String name) {
    return containerResource(name) ? container.getResource(name) : null;
  }

  @Override
  protected Enumeration<URL> findResources(String name) throws IOException {
    return containerResource(name) ? container.getResources(name) : Collections.emptyEnumeration();
  }

  private static boolean containerResource(String name) {
    return CONTAINER_PACKAGES.stream().anyMatch(p -> name.startsWith(p.replace('.', '/')));
  }
}
