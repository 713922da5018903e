package io.distillery.cli;

import io.distillery.core.DistilleryException;
import io.distillery.core.ExitCode;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.ScopeType;

/**
 * Builds the {@code distillery} command line with its one exit-code mapper: a
 * {@link DistilleryException} prints its one-line message and exits with its own code (2 for bad
 * input), a usage error exits 2, anything else is a failure (1) with its stack trace. Every
 * subcommand inherits {@code --help} and {@code --version}.
 */
@Command(
    name = "distillery",
    mixinStandardHelpOptions = true,
    scope = ScopeType.INHERIT,
    version = "distillery 0.1.0",
    description = "Compress NLP models without their training data.",
    subcommands = {
      HelpCommand.class,
      InspectCommand.class,
      LabelCommand.class,
      EvalCommand.class,
      ModelsCommand.class,
      BenchCommand.class,
      RunCommand.class,
      SynthCommand.class,
      DistillCommand.class,
      GenerateCommand.class,
      TuneGeneratorCommand.class,
      ExportCommand.class,
      PromptKdCommand.class,
    })
public final class Cli {
  private Cli() {}

  /** A command line writing to the given streams, so tests can drive the CLI in-process. */
  public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
    CommandLine cl = new CommandLine(new Cli());
    HelpWrap.install(cl);
    cl.setOut(out);
    cl.setErr(err);
    cl.setExecutionExceptionHandler(
        (ex, cmd, parseResult) -> {
          if (ex instanceof DistilleryException de) {
            cmd.getErr().println("error: " + de.getMessage());
            return de.exitCode();
          }
          ex.printStackTrace(cmd.getErr());
          return ExitCode.FAILED;
        });
    cl.setParameterExceptionHandler(
        (ex, args) -> {
          ex.getCommandLine().getErr().println("error: " + ex.getMessage());
          ex.getCommandLine().getErr().println(
              "try: " + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help");
          return ExitCode.BAD_INPUT;
        });
    return cl;
  }
}
