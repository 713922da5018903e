package io.distillery.core;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Progress of a long job on stderr: done/total, rate and ETA, at most once per interval so the
 * log stays readable. Figures never go here: they go to files and stdout.
 */
public final class Progress {
  private final String task;
  private final String unit;
  private final long total;
  private final PrintStream err;
  private final long startNanos = System.nanoTime();
  private final long intervalNanos;
  private long lastPrint;
  private long done;

  public Progress(String task, String unit, long total, PrintStream err, double intervalSeconds) {
    this.task = task;
    this.unit = unit;
    this.total = total;
    this.err = err;
    this.intervalNanos = (long) (intervalSeconds * 1e9);
    this.lastPrint = startNanos;
  }

  public Progress(String task, String unit, long total) {
    this(task, unit, total, System.err, 2.0);
  }

  public void advance(long n) {
    done += n;
    long now = System.nanoTime();
    if (now - lastPrint >= intervalNanos || done == total) {
      lastPrint = now;
      err.println(line(now));
    }
  }

  public long done() {
    return done;
  }

  String line(long now) {
    double secs = Math.max(1e-9, (now - startNanos) / 1e9);
    double rate = done / secs;
    String eta = total > 0 && rate > 0 ? formatSeconds((total - done) / rate) : "?";
    String of = total > 0 ? "/" + total : "";
    return String.format(
        Locale.ROOT, "[%s] %d%s %s, %.1f %s/s, elapsed %s, ETA %s",
        task, done, of, unit, rate, unit, formatSeconds(secs), eta);
  }

  static String formatSeconds(double s) {
    long t = Math.round(s);
    return t >= 3600
        ? String.format(Locale.ROOT, "%dh%02dm", t / 3600, (t % 3600) / 60)
        : String.format(Locale.ROOT, "%dm%02ds", t / 60, t % 60);
  }
}
