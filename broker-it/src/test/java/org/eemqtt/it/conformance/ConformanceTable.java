package org.eemqtt.it.conformance;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The rows of CONFORMANCE.md. Only lines that start with {@code |} are read: a header row (first cell
 * {@code Statement}) opens a table, the separator row under it is skipped, every other such line is a row
 * {@code | MQTT-x.y.z-n | 3.1.1 or 5.0 | requirement | Class#method[, Class#method...] |}. Everything else in the
 * file (headings, prose, blank lines) is ignored. Rows that break these rules are reported, not skipped.
 * <p>
 * A table whose header ends in {@code Why not} instead of {@code Test} lists statements that no test proves, each
 * with the reason in its fourth cell: such a row names no tests. Allowed only under the heading
 * {@value #NOT_COVERED_HEADING}, and a statement (id and spec) may not be both proven and "not covered".
 */
public final class ConformanceTable {

    static final Pattern STATEMENT_ID = Pattern.compile("MQTT-\\d+(\\.\\d+)*-\\d+");
    static final Pattern TEST_REF = Pattern.compile("([A-Za-z_$][\\w$]*)#([A-Za-z_$][\\w$]*)");
    private static final Pattern SEPARATOR_CELL = Pattern.compile(":?-{3,}:?");
    private static final List<String> SPECS = List.of("3.1.1", "5.0");
    private static final List<String> HEADER = List.of("Statement", "Spec", "Requirement (short)", "Test");
    private static final List<String> NOT_COVERED_HEADER = List.of("Statement", "Spec", "Requirement (short)",
            "Why not");
    static final String NOT_COVERED_HEADING = "## Not covered";

    /** One test a row names: the simple class name and the method name. */
    public record TestRef(String className, String method) {
        @Override
        public String toString() {
            return className + "#" + method;
        }
    }

    /** A well-formed row; {@code line} is 1-based. */
    public record Row(int line, String statement, String spec, String requirement, List<TestRef> tests) {
    }

    /** A well-formed row of the "Not covered" section: a statement no test proves, and why. */
    public record NotCovered(int line, String statement, String spec, String requirement, String reason) {
    }

    /** The rows, the "not covered" rows, and a message for every line that is not a well-formed row. */
    public record Parsed(List<Row> rows, List<NotCovered> notCovered, List<String> malformed) {
        public Parsed(List<Row> rows, List<String> malformed) {
            this(rows, List.of(), malformed);
        }
    }

    private ConformanceTable() {
    }

    public static Parsed parse(List<String> lines) {
        List<Row> rows = new ArrayList<>();
        List<NotCovered> notCovered = new ArrayList<>();
        List<String> malformed = new ArrayList<>();
        boolean inTable = false;
        boolean notCoveredTable = false;
        boolean inNotCoveredSection = false;
        boolean expectSeparator = false;
        for (int i = 0; i < lines.size(); i++) {
            int lineNo = i + 1;
            String line = lines.get(i).strip();
            if (line.startsWith("#")) {
                inNotCoveredSection = line.equals(NOT_COVERED_HEADING);
            }
            if (!line.startsWith("|")) {
                inTable = false;
                expectSeparator = false;
                continue;
            }
            List<String> cells = cells(line);
            if (cells == null) {
                malformed.add(at(lineNo, "a table row must start and end with '|'", line));
            } else if (!cells.isEmpty() && cells.get(0).equals(HEADER.get(0))) {
                notCoveredTable = cells.equals(NOT_COVERED_HEADER);
                if (notCoveredTable && !inNotCoveredSection) {
                    malformed.add(at(lineNo, "a | ... | Why not | table belongs under '" + NOT_COVERED_HEADING
                            + "'", line));
                } else if (!notCoveredTable && !cells.equals(HEADER)) {
                    malformed.add(at(lineNo, "the header must be | " + String.join(" | ", HEADER) + " | (or, under '"
                            + NOT_COVERED_HEADING + "', end in | Why not |)", line));
                } else if (!notCoveredTable && inNotCoveredSection) {
                    malformed.add(at(lineNo, "the table under '" + NOT_COVERED_HEADING + "' must end in | Why not |",
                            line));
                }
                inTable = true;
                expectSeparator = true;
            } else if (expectSeparator) {
                expectSeparator = false;
                boolean dashes = cells.stream().allMatch(c -> SEPARATOR_CELL.matcher(c).matches());
                if (cells.size() != HEADER.size() || !dashes) {
                    malformed.add(at(lineNo, "the header must be followed by a separator row |---|---|---|---|",
                            line));
                }
            } else if (!inTable) {
                malformed.add(at(lineNo, "a row outside a table (no header row above it)", line));
            } else if (notCoveredTable) {
                NotCovered row = notCoveredRow(lineNo, line, cells, malformed);
                if (row != null) {
                    notCovered.add(row);
                }
            } else {
                Row row = row(lineNo, line, cells, malformed);
                if (row != null) {
                    rows.add(row);
                }
            }
        }
        contradictions(rows, notCovered, malformed);
        return new Parsed(List.copyOf(rows), List.copyOf(notCovered), List.copyOf(malformed));
    }

    /** A statement listed as not covered must not also be claimed as proven, nor be listed twice. */
    private static void contradictions(List<Row> rows, List<NotCovered> notCovered, List<String> malformed) {
        Set<String> proven = new HashSet<>();
        rows.forEach(r -> proven.add(r.statement() + " " + r.spec()));
        Set<String> seen = new HashSet<>();
        for (NotCovered n : notCovered) {
            String key = n.statement() + " " + n.spec();
            if (proven.contains(key)) {
                malformed.add("line " + n.line() + ": " + n.statement() + " (" + n.spec()
                        + ") is listed as not covered, but a row above names tests for it");
            }
            if (!seen.add(key)) {
                malformed.add("line " + n.line() + ": " + n.statement() + " (" + n.spec()
                        + ") is listed as not covered twice");
            }
        }
    }

    private static NotCovered notCoveredRow(int lineNo, String line, List<String> cells, List<String> malformed) {
        int before = malformed.size();
        if (!commonCells(lineNo, line, cells, malformed)) {
            return null;
        }
        if (cells.get(3).isEmpty()) {
            malformed.add(at(lineNo, "a not-covered row needs the reason in its fourth cell", line));
        } else if (TEST_REF.matcher(cells.get(3).split(",", -1)[0].strip()).matches()) {
            malformed.add(at(lineNo, "a not-covered row names a test; move it to a table of its feature", line));
        }
        return malformed.size() == before
                ? new NotCovered(lineNo, cells.get(0), cells.get(1), cells.get(2), cells.get(3)) : null;
    }

    /** Checks cell count, id, spec and requirement; false when the row has not even 4 cells. */
    private static boolean commonCells(int lineNo, String line, List<String> cells, List<String> malformed) {
        if (cells.size() != HEADER.size()) {
            malformed.add(at(lineNo, "expected 4 cells, found " + cells.size(), line));
            return false;
        }
        if (!STATEMENT_ID.matcher(cells.get(0)).matches()) {
            malformed.add(at(lineNo, "statement id '" + cells.get(0) + "' does not match MQTT-<section>-<n>", line));
        }
        if (!SPECS.contains(cells.get(1))) {
            malformed.add(at(lineNo, "spec '" + cells.get(1) + "' is neither 3.1.1 nor 5.0", line));
        }
        if (cells.get(2).isEmpty()) {
            malformed.add(at(lineNo, "the requirement is empty", line));
        }
        return true;
    }

    private static Row row(int lineNo, String line, List<String> cells, List<String> malformed) {
        int before = malformed.size();
        if (!commonCells(lineNo, line, cells, malformed)) {
            return null;
        }
        String statement = cells.get(0);
        String spec = cells.get(1);
        String requirement = cells.get(2);
        List<TestRef> tests = new ArrayList<>();
        for (String ref : cells.get(3).split(",", -1)) {
            var m = TEST_REF.matcher(ref.strip());
            if (m.matches()) {
                tests.add(new TestRef(m.group(1), m.group(2)));
            } else {
                malformed.add(at(lineNo, "test '" + ref.strip() + "' is not SimpleClassName#method", line));
            }
        }
        return malformed.size() == before ? new Row(lineNo, statement, spec, requirement, List.copyOf(tests)) : null;
    }

    /** The cells between the outer pipes, trimmed; {@code \|} stays a literal pipe. Null without closing pipe. */
    static List<String> cells(String line) {
        if (line.length() < 2 || !line.endsWith("|") || line.endsWith("\\|")) {
            return null;
        }
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        for (int i = 1; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\' && i + 1 < line.length() && line.charAt(i + 1) == '|') {
                cell.append('|');
                i++;
            } else if (c == '|') {
                cells.add(cell.toString().strip());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        return cells;
    }

    private static String at(int lineNo, String problem, String line) {
        return "line " + lineNo + ": " + problem + ": " + line;
    }
}
