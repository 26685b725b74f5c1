package io.tollgate.e2e;

import static io.tollgate.testing.Http.bearer;
import static io.tollgate.testing.Http.json;
import static io.tollgate.testing.Http.post;
import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.testing.BootstrapFiles;
import io.tollgate.testing.Browser;
import io.tollgate.testing.FakeUpstream;
import io.tollgate.testing.GatewayServer;
import io.tollgate.testing.Http;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The console end to end in Debian's headless Chromium (skipped where it is not installed): sign in, make a key in
 * the Keys view (its name holding markup, shown as text), call the gateway with the secret the page showed once, and
 * find those calls in the Usage view's tiles and charts and in the Logs view, whose row opens the stored bodies; at
 * a laptop's width and a phone's, with no console error and no sideways scrolling. Screenshots of each view go to
 * target/console-screenshots.
 */
class ConsoleInABrowserTest {
  private static final String ADMIN = "admin-console-in-a-browser";
  private static final String NAME = "<img src=x onerror=alert(1)> team-ui";
  private static final String PROMPT = "hello from the browser test";
  private static final String UPSTREAM_KEY = "sk-upstream-console-secret-1234";
  private static GatewayServer server;
  private static Browser browser;

  @BeforeAll
  static void start() {
    if (!Browser.installed()) {
      return; // reported skipped, with the reason, by installed()
    }
    server = GatewayServer.start(Map.of("TOLLGATE_ADMIN_KEY", ADMIN, "LOG_BODIES", "true",
        "TOLLGATE_CONFIG", BootstrapFiles.echoWithClient("setup", "sk-console-browser-setup")));
    assertThat(post(server.baseUrl() + "/admin/prices",
        "{\"model\":\"echo\",\"input_per_mtok\":1000,\"output_per_mtok\":2000}", "Authorization", bearer(ADMIN))
        .statusCode()).isEqualTo(201);
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

  @BeforeEach
  void installed() {
    Browser.assumeInstalled();
  }

  @Test
  void signInMakeAKeyUseItAndSeeItInTheChartsAndTheLog() throws InterruptedException {
    explained(ConsoleInABrowserTest::walkThrough);
  }

  /**
   * A provider made in the Providers view, tested with one click (a one-token call to a fake upstream: its status
   * and latency), its key pool shown masked; a model made, edited and deleted in the Models view.
   */
  @Test
  void makeAProviderTestItAndAModelThatGoesToIt() throws InterruptedException {
    explained(() -> {
      try (FakeUpstream upstream = FakeUpstream.start()) {
        providersAndModels(upstream);
      }
    });
  }

  private static void providersAndModels(FakeUpstream upstream) {
    signIn();
    browser.open(server.baseUrl() + "/console/#/providers");
    browser.waitUntil(ExpectedConditions.elementToBeClickable(By.id("new-provider"))).click();
    browser.waitUntil(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("dialog input[name='name']")))
        .sendKeys("fake-openai");
    browser.driver().findElement(By.cssSelector("dialog input[name='base_url']")).sendKeys(upstream.baseUrl());
    browser.driver().findElement(By.cssSelector("dialog textarea[name='api_keys']")).sendKeys(UPSTREAM_KEY);
    click("dialog button[type='submit']");
    browser.waitUntil(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector("dialog")));
    browser.waitUntil(d -> d.findElement(By.cssSelector("#view table")).getText().contains("fake-openai"));

    browser.open(server.baseUrl() + "/console/#/models");
    browser.waitUntil(ExpectedConditions.elementToBeClickable(By.id("new-model"))).click();
    browser.waitUntil(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("dialog input[name='name']")))
        .sendKeys("console-model");
    browser.driver().findElement(By.cssSelector("dialog textarea[name='targets']")).sendKeys("fake-openai up-model 0 1");
    click("dialog button[type='submit']");
    browser.waitUntil(d -> d.findElement(By.cssSelector("#view table")).getText().contains("fake-openai/up-model"));

    browser.open(server.baseUrl() + "/console/#/providers");
    click("button[aria-label='Test provider fake-openai']");
    WebElement result = browser.waitUntil(d -> {
      WebElement cell = d.findElement(By.id("test-fake-openai"));
      return cell.getText().startsWith("OK 200") ? cell : null;
    });
    assertThat(result.getText()).doesNotContain("null");
    assertThat(upstream.takeRequest().json().path("model").asText()).as("the model entry's upstream name")
        .isEqualTo("up-model");
    click("button[aria-label='Keys of provider fake-openai']");
    WebElement pool = browser.waitUntil(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("dialog table")));
    assertThat(pool.getText()).contains("active").contains(UPSTREAM_KEY.substring(UPSTREAM_KEY.length() - 4))
        .doesNotContain(UPSTREAM_KEY);
    browser.screenshot("console-provider-keys-desktop");
    click("dialog .dialog-actions button");
    assertThat((String) browser.script("return document.documentElement.outerHTML")).doesNotContain(UPSTREAM_KEY);
    browser.screenshot("console-providers-tested-desktop");

    browser.open(server.baseUrl() + "/console/#/models");
    click("button[aria-label='Edit model console-model']");
    browser.waitUntil(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("dialog textarea[name='aliases']")))
        .sendKeys("console-alias");
    click("dialog button[type='submit']");
    browser.waitUntil(d -> d.findElement(By.cssSelector("#view table")).getText().contains("console-alias"));
    assertThat(post(server.baseUrl() + "/v1/chat/completions", chat(false, "console-alias"), "Authorization",
        bearer("sk-console-browser-setup")).statusCode()).as("the alias made in the console routes").isEqualTo(200);
    click("button[aria-label='Delete model console-model']");
    click("dialog button[type='submit']");
    browser.waitUntil(d -> !d.findElement(By.cssSelector("#view table")).getText().contains("console-model"));
    assertThat(Browser.severe(browser.consoleLog())).as("console errors, CSP violations").isEmpty();
  }

  /** Runs a walk through; when it fails, says what the page showed and logged (and keeps a screenshot of it). */
  private static void explained(Walk walk) throws InterruptedException {
    try {
      walk.run();
    } catch (AssertionError | RuntimeException e) {
      // What the page showed and said when it went wrong, for whoever reads the CI run.
      browser.screenshot("console-failure");
      throw new AssertionError(e.getMessage() + "\nthe browser's console: " + browser.consoleLog().stream()
          .map(entry -> entry.getLevel() + " " + entry.getMessage()).toList()
          + "\nthe page: " + browser.script("return document.body.innerText"), e);
    }
  }

  private static void signIn() {
    browser.desktop();
    browser.open(server.baseUrl() + "/console");
    browser.script("sessionStorage.clear();");
    browser.open(server.baseUrl() + "/console");
    browser.waitUntil(ExpectedConditions.visibilityOfElementLocated(By.id("admin-key"))).sendKeys(ADMIN);
    click("form#sign-in [type='submit']");
    browser.waitUntil(ExpectedConditions.visibilityOfElementLocated(By.id("nav")));
  }

  private static void walkThrough() throws InterruptedException {
    signIn();

    // Keys: a new key, its secret shown once in the dialog.
    browser.driver().findElement(By.linkText("Keys")).click();
    browser.waitUntil(ExpectedConditions.elementToBeClickable(By.id("new-key"))).click();
    WebElement name = browser.waitUntil(
        ExpectedConditions.visibilityOfElementLocated(By.cssSelector("dialog input[name='name']")));
    name.sendKeys(NAME);
    click("dialog button[type='submit']");
    WebElement secret = browser.waitUntil(ExpectedConditions.visibilityOfElementLocated(By.id("new-key-value")));
    String key = secret.getDomProperty("value");
    assertThat(key).startsWith("sk-");
    browser.screenshot("console-key-made-desktop");
    click("#copy-key");
    click("dialog .dialog-actions button");
    browser.waitUntil(ExpectedConditions.invisibilityOfElementLocated(By.id("new-key-value")));
    WebElement keys = browser.waitUntil(d -> {
      WebElement table = d.findElement(By.cssSelector("#view table"));
      return table.getText().contains(NAME) ? table : null;
    });
    assertThat(keys.findElements(By.tagName("img"))).as("the name's markup is text, not an element").isEmpty();
    assertThat(keys.getText()).doesNotContain(key);
    long keyId = idOf(NAME);

    // Calls with that key: four answered, one streamed, one for a model that does not exist.
    for (int i = 0; i < 4; i++) {
      assertThat(post(server.baseUrl() + "/v1/chat/completions", chat(false, "echo"), "Authorization", bearer(key))
          .statusCode()).isEqualTo(200);
    }
    assertThat(StreamedChat.post(server.baseUrl() + "/v1/chat/completions", chat(true, "echo"), "Authorization",
        bearer(key)).text()).isEqualTo(PROMPT);
    assertThat(post(server.baseUrl() + "/v1/chat/completions", chat(false, "no-such-model"), "Authorization",
        bearer(key)).statusCode()).isEqualTo(404);
    awaitRows(keyId, 6);

    // Usage, last hour by key: the key's six requests in the tiles and in the requests chart.
    browser.open(server.baseUrl() + "/console/#/usage?range=1h&by=key");
    WebElement requests = browser.waitUntil(ExpectedConditions.visibilityOfElementLocated(
        By.xpath("//section[contains(@class,'chart')][h2[starts-with(.,'Requests by key')]]")));
    WebElement plot = requests.findElement(By.cssSelector(".chart-plot"));
    assertThat(plot.getDomAttribute("aria-label")).contains(NAME + ": 6 in all").contains("Errors (all): 1 in all");
    assertThat(requests.findElements(By.tagName("canvas"))).as("uPlot drew the chart").isNotEmpty();
    assertThat(Integer.parseInt(tile("Requests"))).as("every key's requests, the other test's too").isGreaterThanOrEqualTo(6);
    assertThat(tile("Cost")).as("the echo model's price made a cost").isNotEqualTo("$0.00");
    browser.screenshot("console-usage-desktop");
    browser.phone();
    assertThat(browser.overflowsHorizontally()).as("usage at 375 px").isFalse();
    browser.screenshot("console-usage-phone");

    // Logs, filtered by the key: six rows; one opens with its stored request body.
    browser.open(server.baseUrl() + "/console/#/logs?key_id=" + keyId);
    List<WebElement> rows = browser.waitUntil(d -> {
      List<WebElement> found = d.findElements(By.cssSelector("#view table tbody tr.clickable"));
      return found.size() == 6 ? found : null;
    });
    assertThat(browser.overflowsHorizontally()).as("logs at 375 px").isFalse();
    browser.screenshot("console-logs-phone");
    browser.desktop();
    browser.screenshot("console-logs-desktop");
    assertThat(rows.get(0).getText()).contains("404");
    rows.get(1).sendKeys(org.openqa.selenium.Keys.ENTER);
    WebElement body = browser.waitUntil(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("dialog pre.body")));
    assertThat(body.getText()).contains(PROMPT);
    browser.screenshot("console-log-details-desktop");
    click("dialog .dialog-actions button");

    // Every other view opens at both widths without an error.
    for (String view : List.of("keys", "users", "providers", "models", "health")) {
      browser.open(server.baseUrl() + "/console/#/" + view);
      browser.waitUntil(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#view table")));
      assertThat(browser.driver().findElement(By.id("view")).getText()).as(view + ": values shown as words")
          .doesNotContainPattern("\\b(null|undefined|NaN)\\b|\\[object ");
      browser.screenshot("console-" + view + "-desktop");
      browser.phone();
      assertThat(browser.overflowsHorizontally()).as(view + " at 375 px").isFalse();
      browser.screenshot("console-" + view + "-phone");
      browser.desktop();
    }
    assertThat(Browser.severe(browser.consoleLog())).as("console errors, CSP violations").isEmpty();
  }

  private interface Walk {
    void run() throws InterruptedException;
  }

  private static String chat(boolean stream, String model) {
    return "{\"model\":\"" + model + "\",\"stream\":" + stream + ",\"messages\":[{\"role\":\"user\",\"content\":\""
        + PROMPT + "\"}]}";
  }

  private static long idOf(String name) {
    for (var k : json(Http.get(server.baseUrl() + "/admin/keys", "Authorization", bearer(ADMIN))).path("data")) {
      if (k.path("name").asText().equals(name)) {
        return k.path("id").asLong();
      }
    }
    throw new AssertionError("no key named " + name);
  }

  /** The log rows are written in batches shortly after each answer: wait (bounded) for all of them. */
  private static void awaitRows(long keyId, int count) throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
    int seen = 0;
    while (Instant.now().isBefore(deadline)) {
      seen = json(Http.get(server.baseUrl() + "/admin/logs?key_id=" + keyId, "Authorization", bearer(ADMIN)))
          .path("data").size();
      if (seen >= count) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("log rows of the key: " + seen + " of " + count);
  }

  /** A headline number of the Usage view, as shown (its first line). */
  private static String tile(String name) {
    for (WebElement tile : browser.driver().findElements(By.cssSelector(".tiles .tile"))) {
      if (tile.findElement(By.tagName("dt")).getText().equals(name)) {
        return tile.findElement(By.tagName("dd")).getText().lines().findFirst().orElse("");
      }
    }
    throw new AssertionError("no tile " + name);
  }

  private static void click(String css) {
    browser.waitUntil(ExpectedConditions.elementToBeClickable(By.cssSelector(css))).click();
  }
}
