package dev.louie.bench;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The end-to-end benchmark CLI: {@code java -jar bench/target/louie-bench.jar SCENARIO [options]}.
 * Each scenario prints progress, then one machine-readable line {@code RESULT key=value ...},
 * with the ceiling it is compared against measured in the same run where there is one.
 */
@Command(name = "louie-bench", mixinStandardHelpOptions = true,
        description = "Louie benchmarks. Each prints a last line RESULT key=value ...",
        subcommands = {
            dev.louie.bench.queue.QueueCommand.class,
            dev.louie.bench.batch.BatchCommand.class,
            dev.louie.bench.onnx.OnnxCommand.class,
            dev.louie.bench.cache.CacheCommand.class,
            dev.louie.bench.http.HttpCommand.class,
            dev.louie.bench.api.LoadCommand.class,
            dev.louie.bench.api.LoadCeilingCommand.class,
            dev.louie.bench.api.FuzzCommand.class,
            dev.louie.bench.api.StatsCommand.class,
            LouieBench.Jmh.class,
        })
public final class LouieBench implements Callable<Integer> {

    /** Runs the CLI and exits with the scenario's code. */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the CLI and returns its exit code (tests call this). */
    public static int run(String... args) {
        // no @file expansion: "--body @request.json" names a file the command reads itself
        return new CommandLine(new LouieBench()).setExpandAtFiles(false).execute(args);
    }

    @Override
    public Integer call() {
        new CommandLine(this).usage(System.out);
        return 2;
    }

    /** Runs the JMH micro-benchmarks in this jar; arguments go to JMH ({@code jmh -h} lists them). */
    @Command(name = "jmh", description = "Runs JMH micro-benchmarks; arguments are passed to JMH (e.g. jmh BatcherBenchmark -f 1 -wi 2 -i 3).",
            mixinStandardHelpOptions = false)
    static final class Jmh implements Callable<Integer> {
        @CommandLine.Unmatched
        String[] jmhArgs = new String[0];

        @Override
        public Integer call() throws Exception {
            org.openjdk.jmh.Main.main(jmhArgs);
            return 0;
        }
    }
}
