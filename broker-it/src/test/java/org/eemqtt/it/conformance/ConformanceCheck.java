package org.eemqtt.it.conformance;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.eemqtt.it.conformance.ConformanceTable.Row;
import org.eemqtt.it.conformance.ConformanceTable.TestRef;
import org.eemqtt.it.conformance.TestReports.Outcome;
import org.eemqtt.it.conformance.TestReports.TestCase;

/**
 * The build check of CONFORMANCE.md: every row must be well formed and every test it names must have run in this
 * build and passed. Rows of the "Not covered" section name no tests; they are only checked for form. Run by exec-maven-plugin in broker-it's verify phase, after failsafe's verify:
 * <pre>
 * ConformanceCheck --root=&lt;repository root&gt; [--since=&lt;epoch millis&gt;]
 * </pre>
 * It reads {@code <root>/CONFORMANCE.md} and the {@code TEST-*.xml} reports in {@code <root>/<module>/target/
 * surefire-reports} and {@code .../failsafe-reports}. Reports written before {@code --since} (the build's start;
 * default: the start of this JVM, which under exec:java is Maven's) are stale and ignored, so a report left by an
 * earlier build can never satisfy a row.
 */
public final class ConformanceCheck {

    /** The outcome: the problems found (empty = passed) and the one-line summary. */
    public record Result(List<String> problems, String summary) {
        public boolean passed() {
            return problems.isEmpty();
        }
    }

    private ConformanceCheck() {
    }

    public static void main(String[] args) throws IOException {
        Path root = null;
        long since = ManagementFactory.getRuntimeMXBean().getStartTime();
        for (String arg : args) {
            if (arg.startsWith("--root=")) {
                root = Paths.get(arg.substring("--root=".length())).toAbsolutePath().normalize();
            } else if (arg.startsWith("--since=")) {
                since = Long.parseLong(arg.substring("--since=".length()).strip());
            } else {
                throw new IllegalArgumentException("Unknown argument '" + arg + "'; usage: ConformanceCheck "
                        + "--root=<repository root> [--since=<epoch millis>]");
            }
        }
        if (root == null) {
            throw new IllegalArgumentException("--root=<repository root> is required");
        }
        Path table = root.resolve("CONFORMANCE.md");
        if (!Files.isRegularFile(table)) {
            throw new IllegalStateException("Conformance check: " + table + " is missing");
        }
        ConformanceTable.Parsed parsed = ConformanceTable.parse(Files.readAllLines(table, StandardCharsets.UTF_8));
        TestReports reports = TestReports.read(reportFolders(root), since);
        Result result = check(parsed, reports);
        System.out.println(result.summary());
        if (!result.passed()) {
            // An exception fails the exec:java goal, and so the build, with the whole list in its message.
            throw new IllegalStateException("CONFORMANCE.md check failed (" + result.problems().size()
                    + " problem(s); skip with -Dconformance.skip=true for partial runs):\n  "
                    + String.join("\n  ", result.problems()));
        }
    }

    /** {@code <root>/*}{@code /target/surefire-reports} and {@code .../failsafe-reports}. */
    static List<Path> reportFolders(Path root) throws IOException {
        List<Path> folders = new ArrayList<>();
        try (DirectoryStream<Path> modules = Files.newDirectoryStream(root, Files::isDirectory)) {
            for (Path module : modules) {
                folders.add(module.resolve("target/surefire-reports"));
                folders.add(module.resolve("target/failsafe-reports"));
            }
        }
        folders.sort(null);
        return folders;
    }

    /** Checks every row against the reports. */
    public static Result check(ConformanceTable.Parsed parsed, TestReports reports) {
        List<String> problems = new ArrayList<>(parsed.malformed());
        Set<String> ids = new LinkedHashSet<>();
        Set<TestRef> tests = new LinkedHashSet<>();
        for (Row row : parsed.rows()) {
            ids.add(row.statement() + " (" + row.spec() + ")");
            for (TestRef ref : row.tests()) {
                tests.add(ref);
                String problem = problem(ref, reports.matching(ref));
                if (problem != null) {
                    problems.add("line " + row.line() + ": " + row.statement() + " (" + row.spec() + "): " + ref
                            + " " + problem);
                }
            }
        }
        if (parsed.rows().isEmpty()) {
            problems.add("CONFORMANCE.md has no rows");
        }
        String summary = "Conformance: " + parsed.rows().size() + " rows, " + ids.size() + " statement ids, "
                + tests.size() + " tests named, " + parsed.notCovered().size() + " statements not covered; " + reports.testCaseCount() + " test cases in " + reports.fileCount()
                + " reports of this build (" + reports.staleFiles().size() + " older reports ignored); "
                + (problems.isEmpty() ? "all passed" : problems.size() + " problem(s)");
        return new Result(List.copyOf(problems), summary);
    }

    /** Null when the test ran and passed; otherwise what is wrong with it. */
    private static String problem(TestRef ref, List<TestCase> cases) {
        if (cases.isEmpty()) {
            return "is missing (no such test case in this build's reports)";
        }
        long failed = cases.stream().filter(c -> c.outcome() == Outcome.FAILED).count();
        long errors = cases.stream().filter(c -> c.outcome() == Outcome.ERROR).count();
        long skipped = cases.stream().filter(c -> c.outcome() == Outcome.SKIPPED).count();
        if (errors > 0) {
            return "errored (" + errors + " of " + cases.size() + " runs)";
        }
        if (failed > 0) {
            return "failed (" + failed + " of " + cases.size() + " runs)";
        }
        if (skipped > 0) {
            return "was skipped (" + skipped + " of " + cases.size() + " runs)";
        }
        return null;
    }
}
