package dev.dropstream.dashboard;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

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

    /** The rows of the table with this id, each as column name → the text shown; none while it says it is empty. */
    List<Map<String, String>> rows(String tableId) {
        return driver.findElements(By.cssSelector("#" + tableId + " tbody tr:not(.empty)")).stream().map(tr -> {
            Map<String, String> row = new LinkedHashMap<>();
            for (WebElement td : tr.findElements(By.cssSelector("td[data-col]"))) {
                row.put(td.getDomAttribute("data-col"), td.getText());
            }
            return row;
        }).toList();
    }

    /** The chart legend's series labels as shown, without uPlot's trailing colon, time excluded. */
    List<String> chartLegend() {
        return driver.findElements(By.cssSelector("#drops-chart .u-legend .u-series:not(:first-child) .u-label"))
                .stream().map(e -> e.getText().replaceFirst(":$", "")).toList();
    }

    /**
     * How many pixels of the chart's canvas are painted in each series' own colour (uPlot draws each line with
     * its stroke), by legend label: a series that is in the legend but was not drawn has none.
     */
    @SuppressWarnings("unchecked")
    Map<String, Long> paintedPixelsBySeries() {
        return (Map<String, Long>) ((JavascriptExecutor) driver).executeScript("""
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

    String status() {
        return driver.findElement(By.id("status")).getText();
    }

    String text(String elementId) {
        return driver.findElement(By.id(elementId)).getText();
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

    /** Saves what the browser shows to {@code target} (PNG). */
    void screenshot(Path target) throws IOException {
        Path shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath();
        Files.createDirectories(target.getParent());
        Files.copy(shot, target, StandardCopyOption.REPLACE_EXISTING);
    }
}
