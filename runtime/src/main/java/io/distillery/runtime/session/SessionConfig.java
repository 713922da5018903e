package io.distillery.runtime.session;

import io.distillery.core.ConfigException;

/**
 * How to open an onnxruntime session.
 *
 * @param device where to run; {@link Device#AUTO} picks the best provider present
 * @param intraOpThreads threads per operator; 0 keeps onnxruntime's default (one per core)
 * @param optimization graph optimisation level
 */
public record SessionConfig(Device device, int intraOpThreads, OptimizationLevel optimization) {
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

  /** AUTO device, onnxruntime's thread default, all graph optimisations. */
  public static SessionConfig defaults() {
    return new SessionConfig(Device.AUTO, 0, OptimizationLevel.ALL);
  }

  /** CPU only, onnxruntime's thread default, all graph optimisations. */
  public static SessionConfig cpu() {
    return new SessionConfig(Device.CPU, 0, OptimizationLevel.ALL);
  }

  public SessionConfig withDevice(Device newDevice) {
    return new SessionConfig(newDevice, intraOpThreads, optimization);
  }

  public SessionConfig withIntraOpThreads(int threads) {
    return new SessionConfig(device, threads, optimization);
  }
}
