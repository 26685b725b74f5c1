package io.tollgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.testing.Browser;
import io.tollgate.testing.GatewayServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The web console's sign-in in a real browser (Debian's headless Chromium, skipped where it is not installed): the
 * form at desktop and phone width, a refused key, and a signed-in session that keeps the admin key in this tab's
 * sessionStorage only, survives a reload and ends with sign-out. Screenshots go to target/console-screenshots.
 */
class ConsoleSignInTest {
  private static final String ADMIN = "admin-console-sign-in-1";
  private static GatewayServer server;
  private static Browser browser;

  @BeforeAll
  static void start() {
    if (!Browser.installed()) {
      return; // each test is reported skipped, with the reason, by signedOut()
    }
    server = GatewayServer.start(Map.of("TOLLGATE_ADMIN_KEY", ADMIN));
    browser = Browser.start();
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

  /** Each test starts signed out on a freshly loaded page, its console log holding only what that load wrote. */
  @BeforeEach
  void signedOut() {
    Browser.assumeInstalled();
    browser.desktop();
    browser.open(server.baseUrl() + "/console");
    browser.script("sessionStorage.clear(); localStorage.clear();");
    browser.driver().manage().deleteAllCookies();
    browser.consoleLog();
    openConsole();
  }

  @Test
  void theSignInFormAtDesktopAndPhoneWidth() {
    assertThat(browser.driver().getTitle()).contains("Tollgate");
    WebElement key = browser.driver().findElement(By.id("admin-key"));
    assertThat(key.getDomAttribute("type")).isEqualTo("password");
    WebElement label = browser.driver().findElement(By.cssSelector("label[for='admin-key']"));
    assertThat(label.isDisplayed()).isTrue();
    assertThat(label.getText()).isNotBlank();
    assertThat(browser.driver().findElements(By.cssSelector("form#sign-in [type='submit']"))).hasSize(1);
    assertSignedOut();
    browser.screenshot("console-sign-in-desktop");

    browser.phone();
    assertThat(browser.script("return window.innerWidth")).as("laid out for the phone's width (meta viewport)")
        .isEqualTo(375L);
    assertThat(browser.driver().findElement(By.id("sign-in")).isDisplayed()).isTrue();
    assertThat(browser.overflowsHorizontally()).as("no sideways scrolling at 375 px").isFalse();
    browser.screenshot("console-sign-in-phone");
    assertThat(Browser.severe(browser.consoleLog())).as("console errors, CSP violations").isEmpty();
  }

  @Test
  void aWrongKeyShowsWhyAndStaysOnTheForm() {
    signIn("not-the-admin-key");
    WebElement error = browser.waitUntil(
        ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#sign-in-error[role='alert']")));
    browser.waitUntil(d -> !error.getText().isBlank());
    assertThat(error.getText()).doesNotContain("not-the-admin-key");
    assertSignedOut();
    assertThat(storedValues("sessionStorage")).isEmpty();
    browser.screenshot("console-sign-in-refused-desktop");
    // The one SEVERE entry allowed: Chromium reports the refused request (401) itself.
    assertThat(Browser.severe(browser.consoleLog())).allSatisfy(m -> assertThat(m).contains("401"));
  }

  @Test
  void theKeyStaysInThisTabOnlyAndOutlivesAReload() {
    signIn(ADMIN);
    assertSignedIn();
    assertThat(storedValues("sessionStorage")).as("sessionStorage").contains(ADMIN);
    assertThat(storedValues("localStorage")).as("localStorage").noneMatch(v -> v.contains(ADMIN));
    assertThat(browser.driver().manage().getCookies()).extracting(Cookie::getValue)
        .noneMatch(v -> v.contains(ADMIN));
    assertThat((String) browser.script("return document.cookie")).doesNotContain(ADMIN);
    browser.screenshot("console-signed-in-desktop");
    browser.phone();
    assertThat(browser.driver().findElement(By.id("sign-out")).isDisplayed()).isTrue();
    assertThat(browser.overflowsHorizontally()).as("the section links fit 375 px").isFalse();
    browser.screenshot("console-signed-in-phone");

    openConsole();
    assertSignedIn();
    assertThat(storedValues("sessionStorage")).contains(ADMIN);
    assertThat(Browser.severe(browser.consoleLog())).as("console errors, CSP violations").isEmpty();
  }

  @Test
  void signingOutGoesBackToTheFormAndForgetsTheKey() {
    signIn(ADMIN);
    assertSignedIn();
    browser.driver().findElement(By.id("sign-out")).click();
    browser.waitUntil(ExpectedConditions.visibilityOfElementLocated(By.id("sign-in")));
    assertSignedOut();
    assertThat(storedValues("sessionStorage")).noneMatch(v -> v.contains(ADMIN));

    openConsole();
    assertSignedOut();
    assertThat(Browser.severe(browser.consoleLog())).as("console errors, CSP violations").isEmpty();
  }

  private static void openConsole() {
    browser.open(server.baseUrl() + "/console");
    browser.waitUntil(d -> d.findElement(By.id("sign-in")).isDisplayed() || d.findElement(By.id("nav")).isDisplayed());
  }

  private static void signIn(String key) {
    WebElement input = browser.driver().findElement(By.id("admin-key"));
    input.clear();
    input.sendKeys(key);
    browser.driver().findElement(By.cssSelector("form#sign-in [type='submit']")).click();
  }

  private static void assertSignedIn() {
    browser.waitUntil(ExpectedConditions.visibilityOfElementLocated(By.id("nav")));
    assertThat(browser.driver().findElement(By.id("view")).isDisplayed()).isTrue();
    assertThat(browser.driver().findElement(By.id("sign-out")).isDisplayed()).isTrue();
    assertThat(browser.driver().findElement(By.id("sign-in")).isDisplayed()).isFalse();
  }

  private static void assertSignedOut() {
    assertThat(browser.driver().findElement(By.id("sign-in")).isDisplayed()).isTrue();
    assertThat(browser.driver().findElement(By.id("nav")).isDisplayed()).isFalse();
    assertThat(browser.driver().findElements(By.id("sign-out"))).noneMatch(WebElement::isDisplayed);
  }

  /** Every value in the page's sessionStorage or localStorage. */
  @SuppressWarnings("unchecked")
  private static List<String> storedValues(String storage) {
    return (List<String>) browser.script("return Object.values(" + storage + ")");
  }
}
