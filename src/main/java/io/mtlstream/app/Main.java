package io.mtlstream.app;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code mtlstream} command line. User-facing output goes to stdout; logs go to stderr. */
@Command(
    name = "mtlstream",
    mixinStandardHelpOptions = true,
    version = "mtlstream 0.1.0",
    description = "Online continual multi-task learning with GradNorm loss balancing.",
    subcommands = {
      ExperimentCommand.class,
      BenchCommand.class,
      BrokerCommand.class,
      GenerateCommand.class,
      LearnCommand.class,
      DemoCommand.class,
      ServeCommand.class,
      SnapshotCommand.class
    })
public final class Main implements Runnable {

  public static void main(String[] args) {
    NativeDefaults.apply();
    System.exit(new CommandLine(new Main()).execute(args));
  }

  @Override
  public void run() {
    CommandLine.usage(this, System.out);
  }
}
