package org.eemqtt.it.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.eemqtt.it.support.BrokerExtension;
import org.eemqtt.it.support.Ids;
import org.eemqtt.it.support.ItSettings;
import org.eemqtt.it.support.ProcessRunner;
import org.eemqtt.it.support.RunningBroker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The messenger page in a real browser: Debian's chromium, headless, through /usr/bin/chromedriver (Selenium, no
 * driver download). It loads the page from the broker, connects over ws:// as guest, joins a room, receives what
 * mosquitto_pub sends over TCP and sends a message that mosquitto_sub receives. The page as it then looks is saved
 * as target/it-work/browser-page.png (docs/browser-page.png in the README is a copy).
 */
@ExtendWith(BrokerExtension.class)
class BrowserPageIT {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Duration WAIT = Duration.ofSeconds(20);

    private WebDriver browser;
    private WebDriverWait wait;

    @BeforeEach
    void startBrowser() {
        for (Path required : List.of(CHROMIUM, CHROMEDRIVER)) {
            assertThat(Files.isExecutable(required))
                    .as("The browser test needs %s (Debian: apt-get install chromium chromium-driver)", required)
                    .isTrue();
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1200,760", "--user-data-dir=" + ItSettings.workDir().resolve("chromium-profile"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .withLogFile(ItSettings.workDir().resolve("chromedriver.log").toFile())
                .build();
        browser = new ChromeDriver(service, options);
        wait = new WebDriverWait(browser, WAIT);
    }

    @AfterEach
    void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void pageConnectsSubscribesReceivesAndPublishes(RunningBroker broker) throws IOException {
        String room = Ids.topicRoot("chat");
        browser.get("http://" + ItSettings.HOST + ":" + ItSettings.httpPort() + "/");
        assertThat(field("url").getAttribute("value")).isEqualTo(RawWebSocket.endpoint().toString());

        type("username", "guest");
        type("password", "guest");
        browser.findElement(By.id("connect")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("status"), "Connected as guest"));

        type("subscribeTopic", room);
        browser.findElement(By.id("subscribe")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("status"), "Joined " + room));

        // TCP -> browser
        ProcessRunner.Result pub = mosquitto(List.of("mosquitto_pub", "-p", String.valueOf(broker.port()), "-u",
                "guest", "-P", "guest", "-q", "1", "-t", room, "-m", "Hello from mosquitto_pub"))
                .finish(WAIT);
        assertThat(pub.succeeded()).as(pub.describe()).isTrue();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("messages"),
                "Hello from mosquitto_pub"));
        assertThat(browser.findElement(By.cssSelector("#messages li .meta")).getText()).contains(room);

        // browser -> TCP: mosquitto_sub gives no "subscribed" signal, so send until it has printed one message
        ProcessRunner.Running sub = mosquitto(List.of("mosquitto_sub", "-p", String.valueOf(broker.port()), "-u",
                "guest", "-P", "guest", "-q", "1", "-t", room, "-C", "1", "-W", "40"));
        type("publishTopic", room);
        sub.publishUntilExited(() -> {
            type("message", "Hello from the browser");
            browser.findElement(By.id("send")).click();
        });
        ProcessRunner.Result received = sub.finish(WAIT);
        assertThat(received.exitCode()).as(received.describe()).isZero();
        assertThat(received.stdout()).isEqualTo("Hello from the browser\n");
        // its own message comes back to the page through its subscription
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("messages"), "Hello from the browser"));

        Path screenshot = ItSettings.workDir().resolve("browser-page.png");
        Files.createDirectories(screenshot.getParent());
        Files.write(screenshot, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }

    private WebElement field(String id) {
        return browser.findElement(By.id(id));
    }

    private void type(String id, String text) {
        WebElement element = field(id);
        element.clear();
        element.sendKeys(text);
    }

    private static ProcessRunner.Running mosquitto(List<String> command) {
        return ProcessRunner.start(command, null, ItSettings.workDir().resolve("browser-mosquitto"));
    }
}
