package io.distillery.synth.pipeline;

import java.util.EnumMap;
import java.util.Map;

/**
 * Where a synthesis run's time goes: wall-clock nanoseconds per {@link Phase}, summed over the
 * run. The {@link Synthesizer} adds to it; a benchmark reads it afterwards. Thread-safe: when the
 * synthesizer draws the next batch ahead, generation (on its worker) and labelling overlap, and
 * the phases then add up to more than the wall time.
 */
public final class SynthClock {
  /** The stages of a synthesis step. */
  public enum Phase {
    /** Drawing candidates from the source: prompts, generation, cutting. */
    GENERATE,
    /** Length and repetition screening and the dedup check. */
    FILTER,
    /** Teacher logits. */
    LABEL,
    /** Writing records and committing shards. */
    WRITE
  }

  private final long[] nanos = new long[Phase.values().length];

  synchronized void add(Phase phase, long elapsedNanos) {
    nanos[phase.ordinal()] += elapsedNanos;
  }

  /** Seconds spent in {@code phase} so far. */
  public synchronized double seconds(Phase phase) {
    return nanos[phase.ordinal()] / 1e9;
  }

  /** Seconds per phase, in phase order. */
  public Map<Phase, Double> asMap() {
    Map<Phase, Double> out = new EnumMap<>(Phase.class);
    for (Phase p : Phase.values()) {
      out.put(p, seconds(p));
    }
    return out;
  }
}
