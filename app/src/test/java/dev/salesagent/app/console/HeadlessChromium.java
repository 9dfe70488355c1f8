package dev.salesagent.app.console;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's Chromium and ChromeDriver for the console's browser tests: {@code /usr/bin/chromium} and
 * {@code /usr/bin/chromedriver} (or {@code CHROMIUM_BIN} / {@code CHROMEDRIVER_BIN}). When they are missing the Debian
 * packages {@code chromium} and {@code chromium-driver} are installed ({@code apt-get}, as root or through
 * {@code sudo -n}), as {@code PostgresTestServer} does for PostgreSQL, so a clean CI machine runs these tests; only
 * when that is impossible are the tests skipped, with the reason. Selenium Manager never runs (it would download a
 * browser): the driver and the browser are given by path.
 *
 * <p>The flags are the ones this machine needs: headless, no sandbox (root), no GPU, and no background networking,
 * component updates, sync or QUIC (the closed network refuses those connections), in a fresh profile directory.
 */
final class HeadlessChromium {
  private static final Path BROWSER = Path.of(env("CHROMIUM_BIN", "/usr/bin/chromium"));
  private static final Path DRIVER = Path.of(env("CHROMEDRIVER_BIN", "/usr/bin/chromedriver"));

  private HeadlessChromium() {}

  /** Installs the packages when missing, or skips the calling test class with the reason. */
  static synchronized void requireInstalled() {
    if (Files.isExecutable(BROWSER) && Files.isExecutable(DRIVER)) return;
    String why = install();
    Assumptions.assumeTrue(Files.isExecutable(BROWSER) && Files.isExecutable(DRIVER),
        "console browser tests skipped: Chromium (" + BROWSER + ") and ChromeDriver (" + DRIVER + ") are missing and "
            + "could not be installed (apt-get install chromium chromium-driver): " + why);
  }

  /** A new browser with its own empty profile and window size; {@code profile} is deleted by the caller's temp dir. */
  static ChromeDriver start(Path profile, int width, int height) {
    ChromeOptions o = new ChromeOptions();
    o.setBinary(BROWSER.toFile());
    o.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", "--disable-extensions", "--user-data-dir=" + profile.toAbsolutePath(),
        "--window-size=" + width + "," + height, "--force-device-scale-factor=1", "--lang=en-US");
    o.setPageLoadTimeout(Duration.ofSeconds(120));
    o.setScriptTimeout(Duration.ofSeconds(120));
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
        .usingAnyFreePort().withTimeout(Duration.ofSeconds(120)).build();
    return new ChromeDriver(service, o);
  }

  /** Makes the page see {@code prefers-color-scheme: dark} (or light), as a system in dark mode would. */
  static void colorScheme(ChromeDriver d, String scheme) {
    d.executeCdpCommand("Emulation.setEmulatedMedia",
        java.util.Map.of("features", List.of(java.util.Map.of("name", "prefers-color-scheme", "value", scheme))));
  }

  private static String install() {
    boolean root = "root".equals(System.getProperty("user.name"));
    List<String> prefix = root ? List.of() : List.of("sudo", "-n");
    System.err.println("console-test: Chromium not found, installing the Debian packages chromium and chromium-driver");
    try {
      List<String> update = new ArrayList<>(prefix);
      update.addAll(List.of("env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "update"));
      run(update, 600);
      List<String> inst = new ArrayList<>(prefix);
      inst.addAll(List.of("env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "install", "-y", "--no-install-recommends",
          "-o", "Dpkg::Options::=--force-confold", "chromium", "chromium-driver"));
      run(inst, 1200);
      return "installed";
    } catch (RuntimeException e) {
      return e.getMessage();
    }
  }

  private static void run(List<String> cmd, int timeoutSeconds) {
    try {
      File out = File.createTempFile("chromium-install", ".log");
      out.deleteOnExit();
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out).directory(new File("/")).start();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(String.join(" ", cmd) + " timed out after " + timeoutSeconds + " s");
      }
      String text = Files.readString(out.toPath(), StandardCharsets.UTF_8);
      if (p.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", cmd) + " exited " + p.exitValue() + ": "
            + (text.length() > 2000 ? "…" + text.substring(text.length() - 2000) : text));
      }
    } catch (IOException e) {
      throw new IllegalStateException("could not run " + cmd.get(0) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted running " + cmd.get(0), e);
    }
  }

  private static String env(String name, String dflt) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? dflt : v;
  }
}
