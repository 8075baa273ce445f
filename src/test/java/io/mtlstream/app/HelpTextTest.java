package io.mtlstream.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every command's help renders cleanly. Picocli passes descriptions through {@code String.format},
 * so a bare "10%" breaks the text and prints a warning instead of the help the user asked for.
 */
class HelpTextTest {

  @Test
  void shouldRenderEveryCommandsHelpWithoutFormatWarnings() {
    List<CommandLine> commands = new ArrayList<>();
    collect(new CommandLine(new Main()), commands);
    assertThat(commands).hasSizeGreaterThan(10);

    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      for (CommandLine command : commands) {
        String usage = command.getUsageMessage(CommandLine.Help.Ansi.OFF);
        assertThat(usage).as(command.getCommandName()).contains("Usage:");
        assertThat(captured.toString(StandardCharsets.UTF_8))
            .as("warnings while rendering the help of '%s'", command.getCommandName())
            .isEmpty();
      }
    } finally {
      System.setErr(err);
    }
  }

  private static void collect(CommandLine command, List<CommandLine> into) {
    into.add(command);
    command.getSubcommands().values().forEach(sub -> collect(sub, into));
  }
}
