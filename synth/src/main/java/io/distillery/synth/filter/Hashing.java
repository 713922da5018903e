package io.distillery.synth.filter;

/** 64-bit hashes for dedup: stable across runs and JVMs (never {@code String.hashCode}). */
public final class Hashing {
  private static final long FNV_OFFSET = 0xcbf29ce484222325L;
  private static final long FNV_PRIME = 0x100000001b3L;

  private Hashing() {}

  /** SplitMix64's finaliser: a bijective scramble of all 64 bits. */
  public static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  /** FNV-1a over the UTF-16 chars, then scrambled. */
  public static long of(CharSequence s) {
    long h = FNV_OFFSET;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      h = (h ^ (c & 0xff)) * FNV_PRIME;
      h = (h ^ (c >>> 8)) * FNV_PRIME;
    }
    return mix64(h);
  }

  /** An ordered combination of two hashes. */
  public static long combine(long a, long b) {
    return mix64(a * 31 + b + 0x9E3779B97F4A7C15L);
  }
}
