package org.eemqtt.it.conformance;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.eemqtt.it.conformance.ConformanceTable.TestRef;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/** The test cases of JUnit XML reports (surefire/failsafe {@code TEST-*.xml}) and how each ended. */
public final class TestReports {

    /** How one test case ended. */
    public enum Outcome { PASSED, SKIPPED, FAILED, ERROR }

    /** One {@code <testcase>}: its simple class name, its name as reported, its outcome. */
    public record TestCase(String simpleClassName, String name, Outcome outcome) {
    }

    private final List<TestCase> cases;
    private final int files;
    private final List<Path> stale;

    private TestReports(List<TestCase> cases, int files, List<Path> stale) {
        this.cases = List.copyOf(cases);
        this.files = files;
        this.stale = List.copyOf(stale);
    }

    public static TestReports of(List<TestCase> cases) {
        return new TestReports(cases, 0, List.of());
    }

    /**
     * Reads every {@code TEST-*.xml} in the given folders (missing folders are fine). Files last modified before
     * {@code notBeforeMillis} are left out as stale: they come from an earlier build, not this one.
     */
    public static TestReports read(List<Path> folders, long notBeforeMillis) {
        List<TestCase> cases = new ArrayList<>();
        List<Path> stale = new ArrayList<>();
        int files = 0;
        for (Path folder : folders) {
            if (!Files.isDirectory(folder)) {
                continue;
            }
            try (DirectoryStream<Path> reports = Files.newDirectoryStream(folder, "TEST-*.xml")) {
                for (Path report : reports) {
                    if (Files.getLastModifiedTime(report).toMillis() < notBeforeMillis) {
                        stale.add(report);
                    } else {
                        cases.addAll(parse(report));
                        files++;
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read the reports in " + folder, e);
            }
        }
        return new TestReports(cases, files, stale);
    }

    static List<TestCase> parse(Path report) {
        try (InputStream in = Files.newInputStream(report)) {
            return parse(in, report.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + report, e);
        }
    }

    static List<TestCase> parse(InputStream in, String source) {
        Document document;
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            DocumentBuilder builder = factory.newDocumentBuilder();
            document = builder.parse(in);
        } catch (Exception e) {
            throw new IllegalStateException("Not a readable JUnit XML report: " + source + " (" + e.getMessage()
                    + ")", e);
        }
        List<TestCase> cases = new ArrayList<>();
        NodeList testcases = document.getElementsByTagName("testcase");
        for (int i = 0; i < testcases.getLength(); i++) {
            Element testcase = (Element) testcases.item(i);
            cases.add(new TestCase(simpleName(testcase.getAttribute("classname")), testcase.getAttribute("name"),
                    outcome(testcase)));
        }
        return cases;
    }

    /** {@code org.eemqtt.it.retain.RetainIT} and {@code ...Outer$Inner} -> {@code RetainIT}, {@code Inner}. */
    static String simpleName(String className) {
        String name = className.substring(className.lastIndexOf('.') + 1);
        return name.substring(name.lastIndexOf('$') + 1);
    }

    private static Outcome outcome(Element testcase) {
        Outcome outcome = Outcome.PASSED;
        for (Node child = testcase.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child.getNodeType() != Node.ELEMENT_NODE) {
                continue;
            }
            // flakyFailure/flakyError (a rerun passed) count as passed; rerunFailure (every run failed) as failed
            switch (child.getNodeName()) {
                case "error", "rerunError" -> {
                    return Outcome.ERROR;
                }
                case "failure", "rerunFailure" -> outcome = Outcome.FAILED;
                case "skipped" -> {
                    if (outcome == Outcome.PASSED) {
                        outcome = Outcome.SKIPPED;
                    }
                }
                default -> { }
            }
        }
        return outcome;
    }

    /**
     * The test cases a reference names: same simple class name, and a name equal to the method or starting with
     * {@code method(} or {@code method[} (parameters and parameterized invocations).
     */
    public List<TestCase> matching(TestRef ref) {
        List<TestCase> found = new ArrayList<>();
        for (TestCase c : cases) {
            if (c.simpleClassName().equals(ref.className()) && namesMethod(c.name(), ref.method())) {
                found.add(c);
            }
        }
        return found;
    }

    static boolean namesMethod(String reportedName, String method) {
        return reportedName.equals(method) || reportedName.startsWith(method + "(")
                || reportedName.startsWith(method + "[");
    }

    public int testCaseCount() {
        return cases.size();
    }

    public int fileCount() {
        return files;
    }

    public List<Path> staleFiles() {
        return stale;
    }
}
