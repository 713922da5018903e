package io.distillery.tests.kill;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Starts the {@code distillery} command as a real JVM process (the test's own class path), so a
 * test can SIGKILL it: {@link Process#destroyForcibly} sends SIGKILL on Linux, which no shutdown
 * hook, finally block or flush survives. Output goes to a log file that the test can show.
 */
final class CliProcess {
  private final Process process;
  private final Path log;
  private final long startNanos = System.nanoTime();

  private CliProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  static CliProcess start(Path log, String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx1g");
    cmd.add("-Xss4m");
    cmd.add("-XX:TieredStopAtLevel=1"); // short jobs: C1 only starts faster
    cmd.add("-Dai.djl.offline=true");
    cmd.add("-Dai.djl.default_engine=PyTorch");
    cmd.add("-Ddistillery.root=" + System.getProperty("distillery.root", ".."));
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("io.distillery.cli.Distillery");
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.environment().put("OPT_OUT_TRACKING", "true");
    return new CliProcess(pb.start(), log);
  }

  /** Waits for the process to end by itself; returns its exit code. */
  int await(long timeoutSeconds) throws InterruptedException {
    if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
      throw new AssertionError("timed out after " + timeoutSeconds + " s; log " + log);
    }
    return process.exitValue();
  }

  /**
   * SIGKILLs the process {@code afterMillis} after it started, unless it ended first.
   *
   * @return true when the kill landed on a live process
   */
  boolean killAt(long afterMillis) throws InterruptedException {
    long waitMillis = afterMillis - (System.nanoTime() - startNanos) / 1_000_000;
    if (waitMillis > 0 && process.waitFor(waitMillis, TimeUnit.MILLISECONDS)) {
      return false;
    }
    if (!process.isAlive()) {
      return false;
    }
    process.destroyForcibly();
    process.waitFor();
    return process.exitValue() == 137; // 128 + SIGKILL: it was alive when the signal came
  }

  long elapsedMillis() {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }
}
