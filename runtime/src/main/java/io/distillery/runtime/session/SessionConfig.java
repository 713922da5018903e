package io.distillery.runtime.session;

import io.distillery.core.ConfigException;

/**
 * How to open an onnxruntime session.
 *
 * @param device where to run; {@link Device#AUTO} picks the best provider present
 * @param intraOpThreads threads per operator; 0 keeps onnxruntime's default (one per core)
 * @param optimization graph optimisation level
 * @param spinning whether onnxruntime's intra-op threads spin waiting for work after a call
 *     (its default). Off suits callers that do their own multi-threaded work between calls, such
 *     as a generation loop choosing tokens on every core: spinning threads take those cores.
 */
public record SessionConfig(Device device, int intraOpThreads, OptimizationLevel optimization,
    boolean spinning) {
  /** Upper bound on {@code intraOpThreads}, far above any real machine, to catch typos. */
  public static final int MAX_THREADS = 1024;

  public SessionConfig {
    if (device == null) {
      throw new ConfigException("session device must be set (cpu, cuda, tensorrt or auto)");
    }
    if (optimization == null) {
      throw new ConfigException("session optimization level must be set (none, basic, extended or all)");
    }
    if (intraOpThreads < 0 || intraOpThreads > MAX_THREADS) {
      throw new ConfigException(
          "session intraOpThreads must be 0 (onnxruntime default) to "
              + MAX_THREADS
              + ", got "
              + intraOpThreads);
    }
  }

  /** With onnxruntime's default, spinning threads. */
  public SessionConfig(Device device, int intraOpThreads, OptimizationLevel optimization) {
    this(device, intraOpThreads, optimization, true);
  }

  /** AUTO device, onnxruntime's thread default, all graph optimisations. */
  public static SessionConfig defaults() {
    return new SessionConfig(Device.AUTO, 0, OptimizationLevel.ALL);
  }

  /** CPU only, onnxruntime's thread default, all graph optimisations. */
  public static SessionConfig cpu() {
    return new SessionConfig(Device.CPU, 0, OptimizationLevel.ALL);
  }

  public SessionConfig withDevice(Device newDevice) {
    return new SessionConfig(newDevice, intraOpThreads, optimization, spinning);
  }

  public SessionConfig withIntraOpThreads(int threads) {
    return new SessionConfig(device, threads, optimization, spinning);
  }

  public SessionConfig withSpinning(boolean spin) {
    return new SessionConfig(device, intraOpThreads, optimization, spin);
  }
}
