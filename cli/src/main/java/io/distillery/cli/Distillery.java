package io.distillery.cli;

import java.io.PrintWriter;

/** Entry point of the {@code distillery} command. */
public final class Distillery {
  private Distillery() {}

  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true);
    PrintWriter err = new PrintWriter(System.err, true);
    int code = Cli.commandLine(out, err).execute(args);
    out.flush(); // print() does not flush an autoflush writer: a report printed that way is lost
    err.flush();
    System.exit(code);
  }
}
