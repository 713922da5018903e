package io.distillery.cli;

import java.io.PrintWriter;

/** Entry point of the {@code distillery} command. */
public final class Distillery {
  private Distillery() {}

  /**
   * Stack of the thread that runs the command. Native code called from it (ONNX Runtime session
   * set-up, the tokenizers' JNI) needs more than the JVM's default 1 MB main thread: with the
   * default, {@code bench --student A B} died at start-up with SIGSEGV and no output, depending on
   * the length of the command line (strace: the main thread hit its stack guard page).
   */
  static final long STACK_BYTES = 64L << 20;

  public static void main(String[] args) throws InterruptedException {
    int[] code = {1};
    Thread command = new Thread(null, () -> code[0] = run(args), "distillery-main", STACK_BYTES);
    command.start();
    command.join();
    System.exit(code[0]);
  }

  private static int run(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true);
    PrintWriter err = new PrintWriter(System.err, true);
    int code = Cli.commandLine(out, err).execute(args);
    out.flush(); // print() does not flush an autoflush writer: a report printed that way is lost
    err.flush();
    return code;
  }
}
