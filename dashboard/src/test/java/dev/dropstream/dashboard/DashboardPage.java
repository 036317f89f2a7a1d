package dev.dropstream.dashboard;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;

/**
 * What a person sees on the dashboard, read through the browser: table rows by their column names, the
 * chart's legend and whether it drew anything, the status line and the token prompt. Selectors are the page's
 * stable ids and {@code data-col} attributes, not its layout.
 */
final class DashboardPage {
    private final WebDriver driver;

    DashboardPage(WebDriver driver) {
        this.driver = driver;
    }

    DashboardPage open(URI uri) {
        driver.get(uri.toString());
        return this;
    }

    /**
     * The rows of the table with this id, each as column name → the text shown; none while it says it is empty.
     * Read in one script, so a refresh that redraws the table cannot happen halfway through.
     */
    @SuppressWarnings("unchecked")
    List<Map<String, String>> rows(String tableId) {
        return (List<Map<String, String>>) script("""
                return [...document.querySelectorAll(`#${arguments[0]} tbody tr:not(.empty)`)].map((tr) =>
                  Object.fromEntries([...tr.querySelectorAll('td[data-col]')].map((td) => [td.dataset.col, td.innerText])));
                """, tableId);
    }

    /** The chart legend's series labels as shown, without uPlot's trailing colon, time excluded. */
    @SuppressWarnings("unchecked")
    List<String> chartLegend() {
        return (List<String>) script("""
                return [...document.querySelectorAll('#drops-chart .u-legend .u-series:not(:first-child) .u-label')]
                  .map((e) => e.innerText.replace(/:$/, ''));
                """);
    }

    /**
     * How many pixels of the chart's canvas are painted in each series' own colour (uPlot draws each line with
     * its stroke), by legend label: a series that is in the legend but was not drawn has none.
     */
    @SuppressWarnings("unchecked")
    Map<String, Long> paintedPixelsBySeries() {
        return (Map<String, Long>) script("""
                const root = document.getElementById('drops-chart');
                const canvas = root.querySelector('canvas');
                const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
                const result = {};
                for (const series of root.querySelectorAll('.u-legend .u-series:not(:first-child)')) {
                  const label = series.querySelector('.u-label').textContent.replace(/:$/, '');
                  const colour = getComputedStyle(series.querySelector('.u-marker')).borderColor;
                  const [r, g, b] = colour.match(/\\d+/g).map(Number);
                  let n = 0;
                  for (let i = 0; i < pixels.length; i += 4) {
                    if (pixels[i + 3] === 255 && pixels[i] === r && pixels[i + 1] === g && pixels[i + 2] === b) {
                      n++;
                    }
                  }
                  result[label] = n;
                }
                return result;
                """);
    }

    private Object script(String body, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(body, args);
    }

    String status() {
        return driver.findElement(By.id("status")).getText();
    }

    /** Picks a range as a person would: by clicking its label. */
    void chooseRange(String label) {
        driver.findElements(By.cssSelector("#range label")).stream().filter(l -> l.getText().strip().equals(label))
                .findFirst().orElseThrow(() -> new AssertionError("no range labelled " + label)).click();
    }

    boolean tokenPromptShown() {
        return driver.findElement(By.id("token-dialog")).isDisplayed();
    }

    void enterToken(String token) {
        driver.findElement(By.id("token-input")).sendKeys(token);
        driver.findElement(By.id("token-save")).click();
    }

    /** Saves the whole page, as tall as it is, to {@code target} (PNG). */
    void screenshot(Path target) throws IOException {
        Number height = (Number) script("return document.documentElement.scrollHeight + (window.outerHeight - window.innerHeight)");
        Dimension size = driver.manage().window().getSize();
        driver.manage().window().setSize(new Dimension(size.getWidth(), Math.max(size.getHeight(), height.intValue())));
        Path shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath();
        Files.createDirectories(target.getParent());
        Files.copy(shot, target, StandardCopyOption.REPLACE_EXISTING);
    }
}
