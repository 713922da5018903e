package io.distillery.synth.filter;

import java.util.Arrays;

/**
 * An open-addressing hash map from {@code long} keys to non-negative {@code int} values (linear
 * probing, capacity a power of two, load factor at most 3/4). Twelve bytes per slot, no boxing:
 * the index behind the dedup filters.
 */
final class LongIntTable {
  private static final int MIN_CAPACITY = 16;
  private static final int EMPTY = -1;

  private long[] keys;
  private int[] values;
  private int size;

  LongIntTable() {
    allocate(MIN_CAPACITY);
  }

  private void allocate(int capacity) {
    keys = new long[capacity];
    values = new int[capacity];
    Arrays.fill(values, EMPTY);
  }

  /** The value of {@code key}, or -1 when absent. */
  int get(long key) {
    int mask = keys.length - 1;
    for (int i = slot(key, mask); ; i = (i + 1) & mask) {
      if (values[i] == EMPTY) {
        return EMPTY;
      }
      if (keys[i] == key) {
        return values[i];
      }
    }
  }

  /** Sets {@code key} to {@code value} (>= 0), replacing any earlier value. */
  void put(long key, int value) {
    if (value < 0) {
      throw new IllegalArgumentException("values must be >= 0, got " + value);
    }
    if ((size + 1) * 4L > keys.length * 3L) {
      grow();
    }
    int mask = keys.length - 1;
    for (int i = slot(key, mask); ; i = (i + 1) & mask) {
      if (values[i] == EMPTY) {
        keys[i] = key;
        values[i] = value;
        size++;
        return;
      }
      if (keys[i] == key) {
        values[i] = value;
        return;
      }
    }
  }

  /** Removes every entry, keeping the capacity. */
  void clear() {
    Arrays.fill(values, EMPTY);
    size = 0;
  }

  int size() {
    return size;
  }

  int capacity() {
    return keys.length;
  }

  long memoryBytes() {
    return keys.length * 12L;
  }

  private void grow() {
    long[] oldKeys = keys;
    int[] oldValues = values;
    allocate(keys.length * 2);
    size = 0;
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldValues[i] != EMPTY) {
        put(oldKeys[i], oldValues[i]);
      }
    }
  }

  private static int slot(long key, int mask) {
    return (int) (Hashing.mix64(key) & mask);
  }
}
