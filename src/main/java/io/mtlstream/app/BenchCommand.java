package io.mtlstream.app;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code mtlstream bench}: the benchmark suite. Each subcommand measures one thing with its
 * alternatives side by side in one run and prints a table; docs/BENCHMARKS.md describes the method
 * and records results measured on the project's machine.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description =
        "Benchmarks, each printing its alternatives side by side (see docs/BENCHMARKS.md).",
    subcommands = {
      BenchStepCommand.class,
      BenchDecodeCommand.class,
      BenchPipelineCommand.class,
      BenchFreshnessCommand.class,
      BenchSoakCommand.class,
      BenchStateCommand.class
    })
final class BenchCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    CommandLine.usage(spec.commandLine(), System.out);
  }
}
