package org.eemqtt.it.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.eemqtt.it.conformance.ConformanceTable.Parsed;
import org.eemqtt.it.conformance.ConformanceTable.TestRef;
import org.eemqtt.it.conformance.TestReports.Outcome;
import org.eemqtt.it.conformance.TestReports.TestCase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The parser of CONFORMANCE.md, the matching of rows to JUnit XML reports, and the repository's own table. */
class ConformanceCheckTest {

    private static final String HEADER = "| Statement | Spec | Requirement (short) | Test |";
    private static final String SEPARATOR = "|---|---|---|---|";

    private static Parsed parse(String... lines) {
        return ConformanceTable.parse(List.of(lines));
    }

    @Test
    void readsRowsAndIgnoresProse() {
        Parsed parsed = parse("# Conformance", "", "Some prose | with a pipe.", "## Retain", "", HEADER, SEPARATOR,
                "| MQTT-3.3.1-9 | 3.1.1 | live forward has RETAIN 0 | RetainIT#liveForwardHasRetain0 |",
                "| MQTT-3.8.4-3 | 5.0 | a \\| in the text | A#one, B#two |", "", "## Empty", "", HEADER, SEPARATOR);
        assertThat(parsed.malformed()).isEmpty();
        assertThat(parsed.rows()).hasSize(2);
        assertThat(parsed.rows().get(0).line()).isEqualTo(8);
        assertThat(parsed.rows().get(0).tests()).containsExactly(new TestRef("RetainIT", "liveForwardHasRetain0"));
        assertThat(parsed.rows().get(1).requirement()).isEqualTo("a | in the text");
        assertThat(parsed.rows().get(1).tests()).containsExactly(new TestRef("A", "one"), new TestRef("B", "two"));
    }

    @Test
    void malformedRowsAreReportedWithTheirLine() {
        Parsed parsed = parse(HEADER, SEPARATOR,
                "| MQTT-3.3.1-9 | 3.1.1 | too few cells |",            // 3
                "| MQTT-3.3.1 | 3.1.1 | no statement number | A#b |",  // 4
                "| 3.3.1-9 | 3.1.1 | no MQTT prefix | A#b |",          // 5
                "| MQTT-3.3.1-9 | 3.1 | unknown spec | A#b |",         // 6
                "| MQTT-3.3.1-9 | 5.0 | no method | RetainIT |",        // 7
                "| MQTT-3.3.1-9 | 5.0 | empty test |  |",              // 8
                "| MQTT-3.3.1-9 | 5.0 | trailing comma | A#b, |",      // 9
                "| MQTT-3.3.1-9 | 5.0 |  | A#b |",                     // 10 empty requirement
                "| MQTT-3.3.1-9 | 5.0 | no closing pipe | A#b",        // 11
                "| MQTT-3.3.1-9 | 5.0 | good | A#b |");                // 12
        assertThat(parsed.malformed()).hasSize(9);
        for (int line = 3; line <= 11; line++) {
            String prefix = "line " + line + ":";
            assertThat(parsed.malformed()).as("a problem reported for line %d", line)
                    .anyMatch(p -> p.startsWith(prefix));
        }
        assertThat(parsed.rows()).singleElement().extracting(ConformanceTable.Row::line).isEqualTo(12);
    }

    @Test
    void rowsOutsideATableAndBadHeadersAreMalformed() {
        Parsed parsed = parse("| MQTT-3.3.1-9 | 3.1.1 | before any header | A#b |", "",
                "| Statement | Spec | Test |", SEPARATOR, "",
                HEADER, "| MQTT-3.3.1-9 | 3.1.1 | separator missing | A#b |");
        assertThat(parsed.malformed()).hasSize(3);
        assertThat(parsed.malformed().get(0)).startsWith("line 1:").contains("outside a table");
        assertThat(parsed.malformed().get(1)).startsWith("line 3:").contains("header");
        assertThat(parsed.malformed().get(2)).startsWith("line 7:").contains("separator");
    }

    private static final String NOT_COVERED_HEADER = "| Statement | Spec | Requirement (short) | Why not |";

    @Test
    void notCoveredRowsAreParsedWithTheirReasonAndNameNoTests() {
        Parsed parsed = parse("## Retain", HEADER, SEPARATOR, "| MQTT-3.3.1-5 | 3.1.1 | stored | A#ok |", "",
                "## Not covered", "", "Prose.", "", NOT_COVERED_HEADER, SEPARATOR,
                "| MQTT-6.0.0-1 | 5.0 | binary frames only | no WebSocket transport yet (issue 6) |",
                "| MQTT-3.3.1-5 | 5.0 | stored | needs the durable store, which another change rewrites |");
        assertThat(parsed.malformed()).isEmpty();
        assertThat(parsed.rows()).singleElement().extracting(ConformanceTable.Row::statement)
                .isEqualTo("MQTT-3.3.1-5");
        assertThat(parsed.notCovered()).hasSize(2);
        assertThat(parsed.notCovered().get(0)).isEqualTo(new ConformanceTable.NotCovered(12, "MQTT-6.0.0-1", "5.0",
                "binary frames only", "no WebSocket transport yet (issue 6)"));

        TestReports reports = TestReports.of(List.of(new TestCase("A", "ok", Outcome.PASSED)));
        ConformanceCheck.Result result = ConformanceCheck.check(parsed, reports);
        assertThat(result.problems()).as("not-covered rows need no test report").isEmpty();
        assertThat(result.summary()).contains("1 rows, 1 statement ids, 1 tests named, 2 statements not covered");
    }

    @Test
    void badNotCoveredRowsAreMalformed() {
        Parsed parsed = parse(HEADER, SEPARATOR, "| MQTT-1.1-1 | 5.0 | proven | A#ok |", "",
                NOT_COVERED_HEADER, SEPARATOR, "",                                 // 5: outside its section
                "## Not covered", HEADER, SEPARATOR,                               // 9: a test table in it
                "", NOT_COVERED_HEADER, SEPARATOR,
                "| MQTT-1.1-2 | 5.0 | no reason |  |",                              // 14
                "| MQTT-1.1-3 | 5.0 | names a test | A#ok |",                      // 15
                "| MQTT-1.1-1 | 5.0 | proven above | because |",                    // 16
                "| MQTT-1.1-4 | 3.1 | bad spec | because |",                        // 17
                "| MQTT-1.1-5 | 5.0 | twice | because |",                           // 18
                "| MQTT-1.1-5 | 5.0 | twice | because |",                           // 19
                "| MQTT-1.1-6 | 5.0 | fine | because |");                          // 20
        assertThat(parsed.malformed()).hasSize(7);
        for (int line : new int[] {5, 9, 14, 15, 16, 17, 19}) {
            assertThat(parsed.malformed()).as("a problem reported for line %d", line)
                    .anyMatch(p -> p.startsWith("line " + line + ":"));
        }
        assertThat(parsed.notCovered()).extracting(ConformanceTable.NotCovered::line)
                .containsExactly(16, 18, 19, 20);
        assertThat(ConformanceCheck.check(parsed, TestReports.of(List.of(new TestCase("A", "ok", Outcome.PASSED))))
                .passed()).isFalse();
    }

    @Test
    void aTestCaseMatchesByMethodNameOrParameterizedPrefix() {
        assertThat(TestReports.namesMethod("retained", "retained")).isTrue();
        assertThat(TestReports.namesMethod("retained(RunningBroker)", "retained")).isTrue();
        assertThat(TestReports.namesMethod("retained[1]", "retained")).isTrue();
        assertThat(TestReports.namesMethod("retainedTwice", "retained")).isFalse();
        assertThat(TestReports.namesMethod("retain", "retained")).isFalse();
        assertThat(TestReports.simpleName("org.eemqtt.it.retain.RetainIT")).isEqualTo("RetainIT");
        assertThat(TestReports.simpleName("org.eemqtt.Outer$Inner")).isEqualTo("Inner");
        assertThat(TestReports.simpleName("NoPackage")).isEqualTo("NoPackage");
    }

    @Test
    void outcomesAreReadFromTheXml() {
        String xml = """
                <?xml version="1.0" encoding="UTF-8"?>
                <testsuite name="org.x.RetainIT" tests="6">
                  <testcase name="passes(RunningBroker)" classname="org.x.RetainIT" time="0.1"/>
                  <testcase name="fails" classname="org.x.RetainIT"><failure message="m">trace</failure></testcase>
                  <testcase name="errs" classname="org.x.RetainIT"><error message="m"/></testcase>
                  <testcase name="skips" classname="org.x.RetainIT"><skipped/></testcase>
                  <testcase name="flaky" classname="org.x.RetainIT"><flakyFailure message="m"/></testcase>
                  <testcase name="rerun" classname="org.x.RetainIT"><failure/><rerunFailure/></testcase>
                </testsuite>
                """;
        List<TestCase> cases = TestReports.parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)),
                "inline");
        assertThat(cases).extracting(TestCase::outcome).containsExactly(Outcome.PASSED, Outcome.FAILED,
                Outcome.ERROR, Outcome.SKIPPED, Outcome.PASSED, Outcome.FAILED);
        assertThat(cases).extracting(TestCase::simpleClassName).containsOnly("RetainIT");
    }

    @Test
    void everyMissingSkippedFailedOrErroredTestIsListed() {
        TestReports reports = TestReports.of(List.of(
                new TestCase("A", "ok", Outcome.PASSED),
                new TestCase("A", "param[1]", Outcome.PASSED),
                new TestCase("A", "param[2]", Outcome.FAILED),
                new TestCase("A", "skipped(RunningBroker)", Outcome.SKIPPED),
                new TestCase("A", "errored", Outcome.ERROR),
                new TestCase("Other", "missing", Outcome.PASSED)));
        Parsed parsed = parse(HEADER, SEPARATOR,
                "| MQTT-1.1-1 | 3.1.1 | ok | A#ok |",
                "| MQTT-1.1-2 | 3.1.1 | one run failed | A#param |",
                "| MQTT-1.1-3 | 5.0 | skipped | A#skipped |",
                "| MQTT-1.1-4 | 5.0 | errored | A#errored |",
                "| MQTT-1.1-5 | 5.0 | other class | A#missing, A#ok |");
        ConformanceCheck.Result result = ConformanceCheck.check(parsed, reports);
        assertThat(result.passed()).isFalse();
        assertThat(result.problems()).hasSize(4);
        assertThat(result.problems().get(0)).startsWith("line 4: MQTT-1.1-2 (3.1.1): A#param failed");
        assertThat(result.problems().get(1)).startsWith("line 5: MQTT-1.1-3 (5.0): A#skipped was skipped");
        assertThat(result.problems().get(2)).startsWith("line 6: MQTT-1.1-4 (5.0): A#errored errored");
        assertThat(result.problems().get(3)).startsWith("line 7: MQTT-1.1-5 (5.0): A#missing is missing");
        assertThat(result.summary()).contains("5 rows, 5 statement ids, 5 tests named");
    }

    @Test
    void passesWhenEveryNamedTestPassed() {
        TestReports reports = TestReports.of(List.of(new TestCase("A", "ok", Outcome.PASSED)));
        ConformanceCheck.Result result = ConformanceCheck.check(
                parse(HEADER, SEPARATOR, "| MQTT-1.1-1 | 3.1.1 | ok | A#ok |", "| MQTT-1.1-1 | 5.0 | ok | A#ok |"),
                reports);
        assertThat(result.problems()).isEmpty();
        assertThat(result.summary()).contains("2 rows, 2 statement ids, 1 tests named").contains("all passed");
    }

    @Test
    void malformedRowsAndAnEmptyTableFailTheCheck() {
        TestReports none = TestReports.of(List.of());
        assertThat(ConformanceCheck.check(parse(HEADER, SEPARATOR, "| MQTT-1 | 3.1.1 | bad id | A#b |"), none)
                .problems()).hasSize(2).anyMatch(p -> p.contains("no rows"));
    }

    @Test
    void reportsOlderThanTheBuildAreIgnored(@TempDir Path dir) throws IOException {
        Path module = Files.createDirectories(dir.resolve("broker-x/target/surefire-reports"));
        String xml = "<testsuite><testcase name=\"ok\" classname=\"p.A\"/></testsuite>";
        Path fresh = Files.writeString(module.resolve("TEST-p.A.xml"), xml);
        Path old = Files.writeString(module.resolve("TEST-p.B.xml"), xml.replace("p.A", "p.B"));
        long buildStart = System.currentTimeMillis() - 60_000;
        Files.setLastModifiedTime(old, FileTime.fromMillis(buildStart - 1_000));
        Files.setLastModifiedTime(fresh, FileTime.fromMillis(buildStart + 1_000));

        TestReports reports = TestReports.read(ConformanceCheck.reportFolders(dir), buildStart);
        assertThat(reports.fileCount()).isEqualTo(1);
        assertThat(reports.staleFiles()).containsExactly(old);
        assertThat(reports.matching(new TestRef("A", "ok"))).hasSize(1);
        assertThat(reports.matching(new TestRef("B", "ok"))).as("a stale report satisfies nothing").isEmpty();
    }

    @Test
    void theRepositoryTableIsWellFormed() throws IOException {
        // Surefire runs in the module folder; the table is at the repository root. Caught here already, so a
        // malformed row fails fast even in a run that skips the report check.
        Path table = Paths.get("..", "CONFORMANCE.md");
        Parsed parsed = ConformanceTable.parse(Files.readAllLines(table, StandardCharsets.UTF_8));
        assertThat(parsed.malformed()).isEmpty();
        assertThat(parsed.rows()).isNotEmpty();
        assertThat(parsed.notCovered()).isNotEmpty();
    }
}
