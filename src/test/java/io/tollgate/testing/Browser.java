package io.tollgate.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.remote.http.ClientConfig;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven by its chromedriver, both at fixed paths so that Selenium Manager is never asked
 * (it would try to download a driver or a browser). One browser per instance, on a fresh profile; {@link #close()}
 * quits it and kills whatever of it is left. Tests call {@link #assumeInstalled()} first: without the packages they
 * are skipped, not failed, except under CI=true, where .ci/run has installed them and their absence fails.
 */
public final class Browser implements AutoCloseable {
  public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  public static final Dimension DESKTOP = new Dimension(1280, 900);
  public static final Dimension PHONE = new Dimension(375, 812);
  public static final Path SCREENSHOTS = Path.of("target/console-screenshots");
  private static final Duration WAIT = Duration.ofSeconds(15);
  // Selenium looks for its devtools module (not a dependency: chromedriver's own CDP endpoint serves resize()) and
  // warns at every start that it has none for this Chromium.
  private static final Logger CDP_VERSION_FINDER = Logger.getLogger("org.openqa.selenium.devtools.CdpVersionFinder");

  static {
    CDP_VERSION_FINDER.setLevel(Level.SEVERE);
  }

  private final ChromeDriverService service;
  private final ChromeDriver driver;
  private final Path profile;

  private Browser(ChromeDriverService service, ChromeDriver driver, Path profile) {
    this.service = service;
    this.driver = driver;
    this.profile = profile;
  }

  public static boolean installed() {
    return Files.isExecutable(CHROMEDRIVER) && Files.isExecutable(CHROMIUM);
  }

  /**
   * Skips the calling test where the browser packages are missing. Call it from @BeforeEach: Surefire counts and
   * explains a skip there, while one from @BeforeAll shows as "Tests run: 0" with no reason.
   */
  public static void assumeInstalled() {
    String why = "no browser: needs " + CHROMIUM + " and " + CHROMEDRIVER
        + " (apt-get install chromium chromium-driver; .ci/run installs them)";
    // .ci/run installs the browser, so in CI a missing one is a broken run, not a reason to skip.
    if ("true".equals(System.getenv("CI")) && !installed()) {
      Assertions.fail(why);
    }
    Assumptions.assumeTrue(installed(), why);
  }

  public static Browser start() {
    Path profile = null;
    ChromeDriverService service = null;
    try {
      profile = Files.createTempDirectory("tollgate-chromium");
      Path logs = Files.createDirectories(Path.of("target/browser-logs"));
      // An explicit driver executable: DriverFinder then skips Selenium Manager altogether.
      service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort()
          .withLogFile(Files.createTempFile(logs, "chromedriver", ".log").toFile()).withTimeout(WAIT).build();
      ChromeDriver driver = new ChromeDriver(service, options(profile),
          ClientConfig.defaultConfig().readTimeout(Duration.ofSeconds(60)));
      driver.manage().timeouts().pageLoadTimeout(WAIT).scriptTimeout(WAIT);
      Browser browser = new Browser(service, driver, profile);
      try {
        browser.resize(DESKTOP);
      } catch (RuntimeException e) {
        browser.close();
        throw e;
      }
      return browser;
    } catch (IOException e) {
      stopQuietly(service, profile);
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      stopQuietly(service, profile);
      throw e;
    }
  }

  private static ChromeOptions options(Path profile) {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    // --no-sandbox: the tests run as root in CI, where Chromium refuses to start sandboxed. The rest keep a test
    // browser off the network (updates, sync, first-run pings) and within a container's small /dev/shm. Even so it
    // still looked up accounts.google.com and clients2.google.com: no name resolves, tests use 127.0.0.1.
    options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost", "--user-data-dir=" + profile);
    options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
    return options;
  }

  public WebDriver driver() {
    return driver;
  }

  public void open(String url) {
    driver.get(url);
  }

  /**
   * Sets the screen the page is laid out for, as devtools' device mode does; below 600 px as a phone, where a page
   * without {@code <meta name="viewport" content="width=device-width">} is laid out 980 px wide and zoomed out.
   */
  public void resize(Dimension screen) {
    driver.manage().window().setSize(screen);
    driver.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of("width", screen.width, "height",
        screen.height, "screenWidth", screen.width, "screenHeight", screen.height, "deviceScaleFactor", 1,
        "mobile", screen.width < 600));
    waitUntil(d -> screen.width == ((Number) script("return screen.width")).intValue());
  }

  public void desktop() {
    resize(DESKTOP);
  }

  public void phone() {
    resize(PHONE);
  }

  /**
   * Waits (bounded) until the condition holds, failing with a timeout otherwise. An element the page replaced while
   * the condition read it (a view drawn again) counts as not yet, not as a failure.
   */
  public <T> T waitUntil(Function<WebDriver, T> condition) {
    return new WebDriverWait(driver, WAIT).ignoring(StaleElementReferenceException.class).until(condition);
  }

  public Object script(String js, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(js, args);
  }

  /** Whether the page is wider than the viewport: a phone user would have to scroll sideways. */
  public boolean overflowsHorizontally() {
    return (Boolean) script("return document.documentElement.scrollWidth > window.innerWidth");
  }

  /** Saves what the viewport shows as target/console-screenshots/{name}.png. */
  public Path screenshot(String name) {
    try {
      Path file = Files.createDirectories(SCREENSHOTS).resolve(name + ".png");
      Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The browser console's entries since the last call (chromedriver hands each out once): script errors, CSP
   * violations and failed requests come as SEVERE.
   */
  public List<LogEntry> consoleLog() {
    return new ArrayList<>(driver.manage().logs().get(LogType.BROWSER).getAll());
  }

  public static List<String> severe(List<LogEntry> entries) {
    return entries.stream().filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
        .map(LogEntry::getMessage).toList();
  }

  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      stopQuietly(service, profile);
    }
  }

  private static void stopQuietly(ChromeDriverService service, Path profile) {
    if (service != null) {
      service.stop();
    }
    if (profile != null) {
      killLeftovers(profile);
      deleteTree(profile);
    }
  }

  /** This browser's processes, which all carry its profile folder on their command line (empty once closed). */
  public List<ProcessHandle> chromiumProcesses() {
    return processesOf(profile);
  }

  private static List<ProcessHandle> processesOf(Path profile) {
    String marker = "--user-data-dir=" + profile;
    return ProcessHandle.allProcesses().filter(ProcessHandle::isAlive)
        .filter(p -> p.info().commandLine().map(c -> c.contains(marker)).orElse(false)).toList();
  }

  /** Kills whatever of this browser outlived quit(): by its profile folder, never by name. */
  private static void killLeftovers(Path profile) {
    List<ProcessHandle> left = processesOf(profile);
    left.forEach(ProcessHandle::destroyForcibly);
    for (ProcessHandle p : left) {
      try {
        p.onExit().get(5, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new IllegalStateException("chromium process " + p.pid() + " did not exit", e);
      }
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      // A temp folder left behind is harmless.
    }
  }
}
