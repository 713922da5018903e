package io.distillery.cli;

import java.io.PrintWriter;

/** Entry point of the {@code distillery} command. */
public final class Distillery {
  private Distillery() {}

  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true);
    PrintWriter err = new PrintWriter(System.err, true);
    System.exit(Cli.commandLine(out, err).execute(args));
  }
}
