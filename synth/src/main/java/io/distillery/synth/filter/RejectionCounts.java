package io.distillery.synth.filter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distillery.core.Json;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/** How many candidates each check rejected. Mutable; not thread-safe. */
public final class RejectionCounts {
  private final long[] counts = new long[Rejection.values().length];

  public void add(Rejection reason) {
    counts[reason.ordinal()]++;
  }

  public void addAll(RejectionCounts other) {
    for (int i = 0; i < counts.length; i++) {
      counts[i] += other.counts[i];
    }
  }

  public long get(Rejection reason) {
    return counts[reason.ordinal()];
  }

  public long total() {
    return Arrays.stream(counts).sum();
  }

  /** Every reason, in declaration order, key to count (zeros included). */
  public Map<String, Long> asMap() {
    Map<String, Long> map = new LinkedHashMap<>();
    for (Rejection r : Rejection.values()) {
      map.put(r.key(), counts[r.ordinal()]);
    }
    return map;
  }

  public ObjectNode toJson() {
    ObjectNode node = Json.MAPPER.createObjectNode();
    asMap().forEach(node::put);
    return node;
  }

  /**
   * Reads {@link #toJson()}'s form.
   *
   * @throws IllegalArgumentException on an unknown key or a value that is not a count
   */
  public static RejectionCounts fromJson(JsonNode node) {
    RejectionCounts out = new RejectionCounts();
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException("expected an object of rejection counts, found "
          + (node == null ? "none" : node.getNodeType()));
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      Rejection r = Rejection.ofKey(e.getKey());
      if (r == null || !e.getValue().canConvertToLong() || e.getValue().asLong() < 0) {
        throw new IllegalArgumentException("bad rejection count " + e.getKey() + "=" + e.getValue());
      }
      out.counts[r.ordinal()] = e.getValue().asLong();
    }
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RejectionCounts other && Arrays.equals(counts, other.counts);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(counts);
  }

  @Override
  public String toString() {
    return asMap().toString();
  }
}
