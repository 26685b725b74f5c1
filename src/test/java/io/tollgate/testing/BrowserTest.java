package io.tollgate.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * The browser fixture on the one HTML page the WAR had before the console (/docs): each helper must be able to
 * report what it is there to catch, and the browser must be gone after close().
 */
class BrowserTest {
  private static GatewayServer server;
  private static Browser browser;

  @BeforeAll
  static void start() {
    if (!Browser.installed()) {
      return; // each test is reported skipped, with the reason, by installed()
    }
    server = GatewayServer.start(Map.of("TOLLGATE_ADMIN_KEY", "admin-browser-test"));
    browser = Browser.start();
  }

  @BeforeEach
  void installed() {
    Browser.assumeInstalled();
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void opensThePageAtBothWidthsAndSavesScreenshots() throws Exception {
    browser.desktop();
    browser.open(server.baseUrl() + "/docs");
    browser.waitUntil(d -> !d.findElements(By.cssSelector(".swagger-ui .info")).isEmpty());
    assertThat(browser.script("return window.innerWidth")).isEqualTo(1280L);
    Path desktop = browser.screenshot("browser-test-docs-desktop");
    browser.phone();
    assertThat(browser.script("return screen.width")).isEqualTo(375L);
    Path phone = browser.screenshot("browser-test-docs-phone");
    for (Path png : List.of(desktop, phone)) {
      byte[] bytes = Files.readAllBytes(png);
      assertThat(bytes).as(png.toString()).startsWith(0x89, 'P', 'N', 'G');
    }
    browser.desktop();
  }

  @Test
  void aCspViolationIsASevereConsoleEntry() {
    browser.open(server.baseUrl() + "/docs");
    browser.waitUntil(d -> !d.findElements(By.cssSelector(".swagger-ui")).isEmpty());
    assertThat(Browser.severe(browser.consoleLog())).as("the docs page loads cleanly").isEmpty();
    // The page's CSP allows no inline script: the browser refuses this one and says so in its console.
    browser.script("const s = document.createElement('script'); s.textContent = 'window.ran = 1';"
        + " document.body.appendChild(s);");
    assertThat(browser.script("return window.ran === undefined")).isEqualTo(true);
    assertThat(Browser.severe(browser.consoleLog())).anySatisfy(m -> assertThat(m).contains("Content Security Policy"));
  }

  @Test
  void seesHorizontalOverflow() {
    browser.phone();
    browser.open(server.baseUrl() + "/docs");
    browser.script("const d = document.createElement('div'); d.id = 'wide'; d.style.width = '2000px';"
        + " d.style.height = '1px'; document.body.appendChild(d);");
    assertThat(browser.overflowsHorizontally()).isTrue();
    browser.script("document.getElementById('wide').remove()");
    browser.desktop();
    assertThat(browser.overflowsHorizontally()).isFalse();
  }

  @Test
  void leavesNoChromiumRunning() {
    Browser other = Browser.start();
    List<ProcessHandle> running = other.chromiumProcesses();
    assertThat(running).as("the browser and its helpers").isNotEmpty();
    other.close();
    assertThat(other.chromiumProcesses()).isEmpty();
    assertThat(running).noneMatch(ProcessHandle::isAlive);
  }
}
