package org.eemqtt.it.rest;

import org.eemqtt.it.support.BrokerExtension;
import org.eemqtt.it.support.BrokerProcess;
import org.eemqtt.it.support.ItSettings;
import org.eemqtt.it.support.RunningBroker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Swagger UI page in a real browser: Debian's headless Chromium and its chromedriver (paths set here, so
 * Selenium downloads nothing). It must list the API's operations, and a call from the page's origin must work.
 */
@ExtendWith(BrokerExtension.class)
class SwaggerUiIT {

    @BeforeAll
    static void webReady() {
        Rest.awaitWeb(ItSettings.httpPort());
    }

    private static final String CHROMIUM = "/usr/bin/chromium";
    private static final String CHROMEDRIVER = "/usr/bin/chromedriver";

    private ChromeDriver browser;

    @AfterEach
    void quit() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void thePageLoadsListsTheOperationsAndCanCallTheApi(RunningBroker broker) throws Exception {
        assertThat(Path.of(CHROMIUM)).as("Debian package chromium").exists();
        assertThat(Path.of(CHROMEDRIVER)).as("Debian package chromium-driver").exists();
        Path profile = Files.createTempDirectory(ItSettings.workDir(), "chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);

        String base = "http://" + ItSettings.HOST + ":" + ItSettings.httpPort();
        browser.get(base + "/rest/v3/swagger-ui");
        List<WebElement> operations = new WebDriverWait(browser, Duration.ofSeconds(60)).until(driver -> {
            List<WebElement> found = driver.findElements(By.cssSelector(".opblock .opblock-summary-path"));
            return found.size() >= 10 ? found : null;
        });
        List<String> paths = operations.stream().map(e -> e.getAttribute("data-path")).toList();
        assertThat(paths).contains("/rest/v3/user/{user_name}", "/rest/v3/user/list", "/rest/v3/user/status",
                "/rest/v3/user/{user_name}/status", "/rest/v3/user/{user_name}/acl");
        assertThat(browser.findElements(By.cssSelector(".opblock"))).hasSize(10);
        assertThat(browser.findElement(By.cssSelector(".info .title")).getText())
                .contains("EE MQTT Server REST API");
        assertThat(browser.findElements(By.cssSelector(".btn.authorize"))).as("the Authorize button").isNotEmpty();

        // what "Try it out" does after Authorize: a call with Basic credentials from the page's origin
        Object status = ((JavascriptExecutor) browser).executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + "fetch('/rest/v3/user/list', {headers: {Authorization: 'Basic ' + btoa(arguments[0])}})"
                        + ".then(r => done(r.status)).catch(e => done(String(e)));",
                Rest.ADMIN + ":" + BrokerProcess.ADMIN_PASSWORD);
        assertThat(status).isEqualTo(200L);
    }
}
