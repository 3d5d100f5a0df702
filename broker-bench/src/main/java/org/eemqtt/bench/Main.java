package org.eemqtt.bench;

import java.util.Arrays;
import java.util.List;

/** Entry point: {@code run}, {@code idle} or {@code matrix}; see {@link Options#help()}. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || args[0].equals("-h") || args[0].equals("--help") || args[0].equals("help")) {
            System.out.print(Options.help());
            return;
        }
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        Options o;
        try {
            o = Options.parse(rest);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.print(Options.help());
            System.exit(2);
            return;
        }
        try {
            switch (args[0]) {
                case "run" -> report(new ScenarioRun(o).run());
                case "idle" -> report(new IdleRun(o).run());
                case "matrix" -> System.exit(new Matrix(o).run());
                default -> {
                    System.err.println("unknown command " + args[0]);
                    System.err.print(Options.help());
                    System.exit(2);
                }
            }
        } catch (java.util.concurrent.ExecutionException e) {
            System.err.println(args[0] + " failed: " + e.getCause());
            System.exit(1);
        } catch (Exception e) {
            System.err.println(args[0] + " failed: " + e);
            System.exit(1);
        }
        System.exit(0);
    }

    private static void report(RunResult r) {
        System.out.print(r.human());
        System.out.println(RunResult.PREFIX + r.json());
    }
}
