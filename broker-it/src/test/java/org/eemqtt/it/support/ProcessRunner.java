package org.eemqtt.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs external programs (mosquitto tools, asadmin) as real processes. stdout and stderr go to files in a folder
 * of the run, so a chatty process never blocks on a full pipe and the output stays available for diagnosis.
 */
public final class ProcessRunner {

    private static final AtomicInteger COUNTER = new AtomicInteger();

    private ProcessRunner() {
    }

    /** Output of a finished (or timed out) process. */
    public record Result(List<String> command, int exitCode, boolean timedOut, String stdout, String stderr) {

        public boolean succeeded() {
            return !timedOut && exitCode == 0;
        }

        /** Everything about the run, for assertion messages. */
        public String describe() {
            return "command: " + String.join(" ", command) + "\nexit code: " + (timedOut ? "timed out" : exitCode)
                    + "\n--- stdout ---\n" + tail(stdout, 80) + "\n--- stderr ---\n" + tail(stderr, 80);
        }
    }

    /** A process started in the background; {@link #finish(Duration)} waits for it and collects its output. */
    public static final class Running {
        private final List<String> command;
        private final Process process;
        private final Path out;
        private final Path err;

        private Running(List<String> command, Process process, Path out, Path err) {
            this.command = command;
            this.process = process;
            this.out = out;
            this.err = err;
        }

        public boolean isAlive() {
            return process.isAlive();
        }

        public String stdoutSoFar() {
            return read(out);
        }

        /**
         * For a subscriber that gives no "subscribed" signal and exits after its message (mosquitto_sub -C 1): runs
         * {@code publish}, gives this process 2 s to print and exit, and publishes again while it is still running,
         * at most 8 times. A publish that fails should throw (assert inside it).
         */
        public void publishUntilExited(Runnable publish) {
            for (int attempt = 0; attempt < 8 && isAlive(); attempt++) {
                publish.run();
                long until = System.nanoTime() + Duration.ofSeconds(2).toNanos();
                while (isAlive() && System.nanoTime() - until < 0) {
                    Await.sleep(Duration.ofMillis(100));
                }
            }
        }

        /** Waits up to the timeout; a process still running then is killed and reported as timed out. */
        public Result finish(Duration timeout) {
            boolean done;
            try {
                done = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                done = false;
            }
            if (!done) {
                kill();
            }
            return new Result(command, done ? process.exitValue() : -1, !done, read(out), read(err));
        }

        public void kill() {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Starts the command in the background with its output captured in files under {@code logDir}. */
    public static Running start(List<String> command, Path workingDir, Path logDir) {
        return start(command, workingDir, logDir, Path.of(command.get(0)).getFileName().toString());
    }

    /**
     * Starts the command in the background; stdout and stderr go to {@code <label>-<n>.out/.err} in {@code logDir},
     * n counting the processes started by this test JVM.
     */
    public static Running start(List<String> command, Path workingDir, Path logDir, String label) {
        try {
            Files.createDirectories(logDir);
            int n = COUNTER.incrementAndGet();
            String name = label + "-" + n;
            Path out = logDir.resolve(name + ".out");
            Path err = logDir.resolve(name + ".err");
            ProcessBuilder pb = new ProcessBuilder(command)
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
            if (workingDir != null) {
                pb.directory(workingDir.toFile());
            }
            return new Running(List.copyOf(command), pb.start(), out, err);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + command, e);
        }
    }

    /** Runs the command to completion, killing it after the timeout. */
    public static Result run(List<String> command, Path workingDir, Path logDir, Duration timeout) {
        return start(command, workingDir, logDir).finish(timeout);
    }

    /** Runs the command to completion, killing it after the timeout; the label names the output files. */
    public static Result run(List<String> command, Path workingDir, Path logDir, String label, Duration timeout) {
        return start(command, workingDir, logDir, label).finish(timeout);
    }

    static String read(Path file) {
        try {
            return Files.exists(file) ? new String(Files.readAllBytes(file), StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e + ")";
        }
    }

    /** The last {@code lines} lines of a text. */
    public static String tail(String text, int lines) {
        String[] all = text.split("\n", -1);
        int from = Math.max(0, all.length - lines);
        return String.join("\n", java.util.Arrays.copyOfRange(all, from, all.length));
    }

    /** The last {@code lines} lines of a file, or a note why it cannot be read. */
    public static String tail(Path file, int lines) {
        return tail(read(file), lines);
    }
}
