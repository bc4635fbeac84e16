package edge.web;

import edge.testing.Fixtures;
import edge.testing.Ports;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static edge.web.BrowserTest.WAIT;
import static edge.web.BrowserTest.desktop;
import static edge.web.BrowserTest.js;
import static edge.web.BrowserTest.screenshot;
import static edge.web.BrowserTest.seq;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The web UI of a service with API keys, in headless Chromium: the key is asked for in the page (a panel, never a
 * browser dialog, which would block a headless browser: Selenium would throw UnhandledAlertException), a refused key
 * says so in the panel, the right one is kept and used, also by the cameras page (polling and frames with the key).
 */
@QuarkusTest
@TestProfile(BrowserApiKeyTest.WithKeys.class)
class BrowserApiKeyTest {

    static final String KEY = "ui-key-3b9e";

    /** Two API keys, and two cameras: "shelf" replays the sample images, "rtsp" cannot be opened (no RTSP backend). */
    public static class WithKeys implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            String images = Fixtures.image("bus.jpg").getParent().toAbsolutePath().toString();
            return Map.of("edge.api.keys", "other-key," + KEY,
                    "edge.cameras.shelf.url", Path.of(images).toUri().toString(),
                    "edge.cameras.shelf.interval", "1s",
                    "edge.cameras.rtsp.url", "rtsp://127.0.0.1:" + Ports.closed() + "/live",
                    "edge.cameras.rtsp.interval", "1s",
                    "edge.cameras.rtsp.max-backoff", "2s");
        }
    }

    static ChromeDriver driver;
    static Path profile;

    @TestHTTPResource("/")
    URL base;

    @BeforeAll
    static void startBrowser() throws IOException {
        profile = Files.createTempDirectory("chromium-profile");
        driver = BrowserTest.chromium(profile);
        Files.createDirectories(BrowserTest.SCREENSHOTS);
    }

    @AfterAll
    static void stopBrowser() throws IOException {
        BrowserTest.stop(driver, profile);
    }

    @Test
    void theKeyIsAskedForInThePageAndKept() throws IOException {
        desktop(driver);
        driver.get(base.toString());
        js(driver, "localStorage.clear()");
        driver.navigate().refresh();
        WebDriverWait wait = new WebDriverWait(driver, WAIT);

        // The first 401 (the list of samples) shows the panel; no dialog is open.
        WebElement panel = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("key-panel")));
        assertTrue(panel.getText().contains("This service needs an API key (X-API-Key)"), panel.getText());
        WebElement input = panel.findElement(By.id("api-key"));
        assertEquals("password", input.getDomAttribute("type"));
        assertFalse(driver.findElement(By.id("key-message")).isDisplayed(), "no refusal before a key was tried");
        assertThrows(NoAlertPresentException.class, () -> driver.switchTo().alert());

        // A wrong key: refused, with the service's 401 message, in the panel again.
        input.sendKeys("not-a-key");
        panel.findElement(By.id("use-key")).click();
        WebElement message = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("key-message")));
        assertTrue(message.getText().contains("refused"), message.getText());
        assertTrue(message.getText().contains("X-API-Key"), "the service's message: " + message.getText());
        assertTrue(panel.isDisplayed());
        assertThrows(NoAlertPresentException.class, () -> driver.switchTo().alert());
        screenshot(driver, "api-key.png");

        // The right key: the panel goes, the key is kept, and detection works with it.
        input = driver.findElement(By.id("api-key"));
        assertEquals("", input.getDomProperty("value"), "the refused key is not left in the field");
        input.sendKeys(KEY);
        driver.findElement(By.id("use-key")).click();
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("key-panel")));
        assertEquals(KEY, js(driver, "return localStorage.getItem('edge.apiKey')"));
        driver.findElement(By.id("file")).sendKeys(Fixtures.image("bus.jpg").toRealPath().toString());
        wait.until(ExpectedConditions.textToBe(By.id("report"), "person 4, bus 1"));
        assertFalse(driver.findElement(By.id("key-panel")).isDisplayed());

        // The cameras page uses the kept key: no panel, frames fetched with it; the RTSP camera says it plainly.
        driver.get(base + "cameras.html");
        WebElement shelf = wait.until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("[data-camera='shelf']")));
        wait.until(d -> seq(shelf) >= 0);
        assertTrue(driver.findElements(By.cssSelector("#key-panel:not([hidden])")).isEmpty(), "no key panel");
        WebElement rtsp = wait.until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("[data-camera='rtsp']")));
        wait.until(d -> "failing".equals(rtsp.findElement(By.cssSelector(".status")).getText()));
        assertEquals("This camera's video stream (RTSP) is not supported yet; use its snapshot or MJPEG address.",
                rtsp.findElement(By.cssSelector(".problem .error")).getText());
        assertFalse(rtsp.getText().contains("waiting"), rtsp.getText());
        assertFalse(rtsp.getText().contains("FFMPEG"), "the technical text is folded away: " + rtsp.getText());
        rtsp.findElement(By.cssSelector(".problem summary")).click();
        WebElement technical = rtsp.findElement(By.cssSelector(".problem details .technical"));
        wait.until(ExpectedConditions.visibilityOf(technical));
        assertTrue(technical.getText().contains("FFMPEG"), technical.getText());
    }
}
