package dev.dropstream.dashboard;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The system's headless Chromium under its own chromedriver (Debian's {@code chromium} and {@code chromium-driver}).
 * Both paths are given to Selenium, so Selenium Manager never looks for, or downloads, a browser or a driver.
 * Where they are not installed, the browser test is skipped and says what to install.
 */
final class Chromium {
    private static final Path BROWSER = Path.of(System.getProperty("dropstream.chromium", "/usr/bin/chromium"));
    private static final Path DRIVER = Path.of(System.getProperty("dropstream.chromedriver", "/usr/bin/chromedriver"));

    private Chromium() {
    }

    /** Whether both programs are installed (the condition of the browser test's {@code @EnabledIf}). */
    static boolean installed() {
        return Files.isExecutable(BROWSER) && Files.isExecutable(DRIVER);
    }

    /** A new headless browser with a window large enough that the whole dashboard fits one screenshot. */
    static ChromeDriver start() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BROWSER.toFile());
        // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1400,1800", "--lang=en-US");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort()
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
        return driver;
    }
}
