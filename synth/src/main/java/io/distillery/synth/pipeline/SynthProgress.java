package io.distillery.synth.pipeline;

import java.io.PrintStream;
import java.util.Locale;

/**
 * One progress line on stderr at most every interval: samples written of the target, shard,
 * samples/s, the accepted share of candidates, elapsed time and ETA (rates count this run only, so
 * a resumed run does not claim the earlier run's work).
 */
final class SynthProgress {
  private final PrintStream err;
  private final long target;
  private final long startSamples;
  private final int shards;
  private final long intervalNanos;
  private final long startNanos = System.nanoTime();
  private long lastPrint = startNanos;
  private long samples;
  private long candidates;

  SynthProgress(PrintStream err, long target, long startSamples, int shards, double intervalSeconds) {
    this.err = err;
    this.target = target;
    this.startSamples = startSamples;
    this.samples = startSamples;
    this.shards = shards;
    this.intervalNanos = (long) (intervalSeconds * 1e9);
  }

  private long printedSamples = -1;

  void advance(long newSamples, long newCandidates, int shard) {
    samples += newSamples;
    candidates += newCandidates;
    long now = System.nanoTime();
    if (now - lastPrint >= intervalNanos) {
      print(now, shard);
    }
  }

  /** A line after each committed shard, unless the last line already showed this count. */
  void shardDone(int shard) {
    if (printedSamples != samples) {
      print(System.nanoTime(), shard);
    }
  }

  private void print(long now, int shard) {
    lastPrint = now;
    printedSamples = samples;
    err.println(line(now, shard));
  }

  String line(long now, int shard) {
    double secs = Math.max(1e-9, (now - startNanos) / 1e9);
    long made = samples - startSamples;
    double rate = made / secs;
    String eta = rate > 0 ? format((target - samples) / rate) : "?";
    double accepted = candidates == 0 ? 0 : 100.0 * made / candidates;
    return String.format(Locale.ROOT,
        "[synth] %d/%d samples, shard %d/%d, %.1f samples/s, accepted %.1f%% of %d candidates,"
            + " elapsed %s, ETA %s",
        samples, target, Math.min(shard + 1, shards), shards, rate, accepted, candidates,
        format(secs), eta);
  }

  private static String format(double s) {
    long t = Math.round(s);
    return t >= 3600
        ? String.format(Locale.ROOT, "%dh%02dm", t / 3600, (t % 3600) / 60)
        : String.format(Locale.ROOT, "%dm%02ds", t / 60, t % 60);
  }
}
