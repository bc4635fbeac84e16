package edge.web;

import edge.testing.Fixtures;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The web UI in a real browser: Debian's Chromium driven through its chromedriver (both from apt, never downloaded:
 * the driver service is given the executable, so Selenium Manager does not run). Takes the README's screenshots
 * (see {@link #SCREENSHOTS} for where they go).
 */
@QuarkusTest
@TestProfile(WithSamples.class)
class BrowserTest {

    static final String CHROMIUM = "/usr/bin/chromium";
    static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    /**
     * Where this test and BrowserApiKeyTest write their screenshots: target/screenshots, so that a test run leaves the
     * work tree as it found it; the README's tracked copies in docs/screenshots only when asked with
     * {@code -Dedge.screenshots=true}. To refresh the README's screenshots:
     * <pre>
     * mvn -B test -Dtest='BrowserTest,BrowserApiKeyTest' -Dedge.screenshots=true
     * </pre>
     */
    static final Path SCREENSHOTS = Boolean.getBoolean("edge.screenshots") ? Path.of("docs", "screenshots")
            : Path.of("target", "screenshots");
    static final Duration WAIT = Duration.ofSeconds(30);

    static ChromeDriver driver;
    static Path profile;

    @TestHTTPResource("/")
    URL base;

    @BeforeAll
    static void startBrowser() throws IOException {
        profile = Files.createTempDirectory("chromium-profile");
        driver = chromium(profile);
        Files.createDirectories(SCREENSHOTS);
    }

    /** Headless Chromium with its own profile folder (cookies, local storage), through Debian's chromedriver. */
    static ChromeDriver chromium(Path profile) {
        assertTrue(Files.isExecutable(Path.of(CHROMIUM)) && Files.isExecutable(Path.of(CHROMEDRIVER)),
                "the browser test needs Debian's chromium and chromium-driver: apt-get install -y chromium chromium-driver");
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--window-size=1280,900", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER))
                .usingAnyFreePort()
                .build();
        return new ChromeDriver(service, options);
    }

    @AfterAll
    static void stopBrowser() throws IOException {
        stop(driver, profile);
    }

    static void stop(ChromeDriver driver, Path profile) throws IOException {
        if (driver != null) {
            driver.quit();
        }
        if (profile != null) {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }

    @Test
    void detectPageDrawsBoxesAndFiltersWithoutReuploading() throws IOException {
        desktop(driver);
        driver.get(base.toString());
        WebDriverWait wait = new WebDriverWait(driver, WAIT);
        wait.until(d -> "up".equals(d.findElement(By.id("model-status")).getDomAttribute("data-ready")));
        assertTrue(driver.findElement(By.id("model-status")).getText().contains("yolov8n-int8-dynamic"));

        driver.findElement(By.id("file")).sendKeys(Fixtures.image("bus.jpg").toRealPath().toString());
        wait.until(ExpectedConditions.textToBe(By.id("report"), "person 4, bus 1"));
        assertEquals(5, boxes().size());
        assertEquals(5, driver.findElements(By.cssSelector("#rows tr")).size());
        assertEquals("not consulted", driver.findElement(By.id("cache")).getText());
        assertTrue(driver.findElement(By.id("timings")).getText().contains("inference"));

        // The slider filters the one answer: the same set as asking the server at that confidence.
        long requests = detectRequests();
        slider("0.80");
        wait.until(d -> !"person 4, bus 1".equals(report()));
        int high = boxes().size();
        assertTrue(high < 5, "fewer boxes above 0.80, got " + high);
        assertEquals(serverReport("bus.jpg", "0.80"), report());
        slider("0.25");
        wait.until(ExpectedConditions.textToBe(By.id("report"), "person 4, bus 1"));
        assertEquals(5, boxes().size());
        assertEquals(requests, detectRequests(), "moving the slider must not re-upload the image");

        // The class filter: unticking "person" leaves the bus.
        WebElement person = driver.findElement(By.cssSelector("#class-list input[value='person']"));
        person.click();
        wait.until(ExpectedConditions.textToBe(By.id("report"), "bus 1"));
        assertEquals(1, boxes().size());
        person.click();
        wait.until(ExpectedConditions.textToBe(By.id("report"), "person 4, bus 1"));

        waitForImage(driver, wait);
        screenshot(driver, "detect.png");

        phone(driver);
        Number overflow = (Number) js(driver, "return document.documentElement.scrollWidth - window.innerWidth");
        assertTrue(overflow.intValue() <= 0, "no horizontal scrolling on a phone, overflow " + overflow);
        screenshot(driver, "detect-phone.png");
        desktop(driver);
    }

    @Test
    void samplesArePickedFromTheList() {
        desktop(driver);
        driver.get(base.toString());
        WebDriverWait wait = new WebDriverWait(driver, WAIT);
        WebElement picker = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("sample")));
        new Select(picker).selectByValue("zidane.jpg");
        // The server's report, and that it is zidane.jpg's (serverReport never answers empty: "nothing found").
        String expected = serverReport("zidane.jpg", "0.25");
        assertEquals("person 2, tie 1", expected);
        wait.until(ExpectedConditions.textToBe(By.id("report"), expected));
    }

    @Test
    void apiErrorsAreShown() throws IOException {
        desktop(driver);
        driver.get(base.toString());
        WebDriverWait wait = new WebDriverWait(driver, WAIT);
        // Not an image: the service answers 400 with a JSON message, which the page shows.
        driver.findElement(By.id("file")).sendKeys(Path.of("pom.xml").toRealPath().toString());
        WebElement message = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("message")));
        assertTrue(message.getText().startsWith("Detection failed: "), message.getText());
        assertFalse(message.getText().contains("{"), "the message, not the JSON: " + message.getText());
    }

    // ------------------------------------------------------------------------------------------------------------
    /** The profile's cameras: "shelf" replays the sample images with a zone, "backdoor" cannot be reached. */
    @Test
    void camerasPageShowsLiveTiles() throws IOException {
        desktop(driver);
        driver.get(base + "cameras.html");
        WebDriverWait wait = new WebDriverWait(driver, WAIT);
        WebElement tile = wait.until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("[data-camera='shelf']")));
        wait.until(d -> seq(tile) >= 0);
        long first = seq(tile);
        wait.until(d -> seq(tile) > first);
        String report = tile.findElement(By.cssSelector(".report")).getText();
        assertFalse(report.isBlank());
        assertNotEquals("waiting for the first frame", report);
        assertTrue(tile.findElements(By.cssSelector("rect.box")).size() > 0, "boxes drawn on the frame");
        assertTrue(tile.findElements(By.cssSelector("polygon")).size() > 0, "the zone drawn on the frame");
        assertZoneLineReadsNaturally(wait, tile);

        // A camera that cannot be reached says so (status and its error), and never that it waits for a frame.
        WebElement backdoor = wait.until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("[data-camera='backdoor']")));
        wait.until(d -> "failing".equals(backdoor.findElement(By.cssSelector(".status")).getText()));
        String lastError = given().get("/cameras").then().statusCode(200).extract()
                .path("find { it.id == 'backdoor' }.lastError");
        assertTrue(lastError.contains("cannot connect"), lastError);
        assertEquals(lastError, backdoor.findElement(By.cssSelector(".problem .error")).getText());
        assertFalse(backdoor.getText().contains("waiting"), "a failing tile does not wait: " + backdoor.getText());
        assertFalse(backdoor.findElement(By.cssSelector(".report")).isDisplayed());
        screenshot(driver, "cameras.png");
        phone(driver);
        driver.navigate().refresh();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-camera='shelf'] rect.box")));
        screenshot(driver, "cameras-phone.png");
        desktop(driver);
    }

    /**
     * The zone line of a tile reads "aisle: person 1" (or "aisle: nothing", "aisle: person 3, cart 1"): the classes
     * and counts of zones.aisle.counts of the frame the tile shows, nothing else.
     */
    static void assertZoneLineReadsNaturally(WebDriverWait wait, WebElement tile) {
        String[] seen = {""};
        wait.withMessage(() -> "the zone line and GET /count of the same frame: " + seen[0]).until(d -> {
            long shown = seq(tile);
            JsonPath count = given().get("/count?camera=" + tile.getDomAttribute("data-camera")).then()
                    .statusCode(200).extract().jsonPath();
            String line = tile.findElement(By.cssSelector(".zones li")).getText();
            if (seq(tile) != shown || count.getLong("frameSeq") != shown) {
                return false; // a newer frame came meanwhile
            }
            Map<String, Integer> counts = count.getMap("zones.aisle.counts", String.class, Integer.class);
            String expected = "aisle: " + (counts.isEmpty() ? "nothing" : counts.entrySet().stream()
                    .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", ")));
            seen[0] = "'" + line + "', expected '" + expected + "' (frame " + shown + ")";
            return line.equals(expected);
        });
        String line = tile.findElement(By.cssSelector(".zones li")).getText();
        assertTrue(line.matches("aisle: (nothing|[a-z][a-z ]* \\d+(, [a-z][a-z ]* \\d+)*)"), line);
    }

    // ------------------------------------------------------------------------------------------------------------

    static long seq(WebElement tile) {
        return Long.parseLong(tile.getDomAttribute("data-seq"));
    }

    private static List<WebElement> boxes() {
        return driver.findElements(By.cssSelector("#overlay rect.box"));
    }

    private static String report() {
        return driver.findElement(By.id("report")).getText();
    }

    /** Sets the range input as a user would: value, then the input event. */
    private static void slider(String value) {
        js(driver, "const s = document.getElementById('conf'); s.value = arguments[0];"
                + " s.dispatchEvent(new Event('input', {bubbles: true}));", value);
    }

    /** The server's own report line at that confidence ("nothing found" when empty, as the page says). */
    private static String serverReport(String image, String conf) {
        String report = given().contentType("image/jpeg").body(Fixtures.imageBytes(image))
                .queryParam("conf", conf).when().post("/count")
                .then().statusCode(200).extract().path("report");
        return report.isEmpty() ? "nothing found" : report;
    }

    /** POSTs to /detect the page has made, from the browser's resource timing. */
    private static long detectRequests() {
        return ((Number) js(driver, "return performance.getEntriesByType('resource')"
                + ".filter(e => e.name.includes('/detect?')).length")).longValue();
    }

    static void waitForImage(ChromeDriver driver, WebDriverWait wait) {
        wait.until(d -> Boolean.TRUE.equals(js(driver, "const i = document.getElementById('image');"
                + " return i.complete && i.naturalWidth > 0")));
    }

    static Object js(ChromeDriver driver, String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    static void desktop(ChromeDriver driver) {
        driver.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
        driver.manage().window().setSize(new Dimension(1280, 900));
    }

    /** A 390 x 844 CSS-pixel viewport (a phone); Chromium's windows cannot be made that narrow. */
    static void phone(ChromeDriver driver) {
        driver.executeCdpCommand("Emulation.setDeviceMetricsOverride",
                Map.of("width", 390, "height", 844, "deviceScaleFactor", 1, "mobile", true));
    }

    static void screenshot(ChromeDriver driver, String name) throws IOException {
        Files.write(SCREENSHOTS.resolve(name), driver.getScreenshotAs(OutputType.BYTES));
    }
}
