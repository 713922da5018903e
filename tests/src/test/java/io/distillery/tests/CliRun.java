package io.distillery.tests;

import io.distillery.cli.Cli;
import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the {@code distillery} command in-process and keeps its exit code, stdout and stderr. */
record CliRun(int exitCode, String out, String err) {
  static CliRun of(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Cli.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
    return new CliRun(code, out.toString(), err.toString());
  }

  /** The error lines (the "error: ..." lines the exit-code mapper prints). */
  String errorLine() {
    return err.lines().filter(l -> l.startsWith("error: ")).findFirst().orElse("");
  }
}
