package io.distillery.runtime.session;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.distillery.core.JobFailedException;
import java.nio.file.Path;
import java.util.Set;

/**
 * An open onnxruntime session for one model file, and the execution provider that actually runs
 * it. Whoever opens it closes it; classifiers and encoders built on it only borrow it.
 */
public final class ModelSession implements AutoCloseable {
  private final Path modelPath;
  private final OrtEnvironment environment;
  private final OrtSession session;
  private final Device requested;
  private final Device device;
  private final SessionConfig config;
  private boolean closed;

  ModelSession(
      Path modelPath,
      OrtEnvironment environment,
      OrtSession session,
      Device requested,
      Device device,
      SessionConfig config) {
    this.modelPath = modelPath;
    this.environment = environment;
    this.session = session;
    this.requested = requested;
    this.device = device;
    this.config = config;
  }

  /** The settings the session was opened with (threads, spinning, optimisation level). */
  public SessionConfig config() {
    return config;
  }

  /** The model file this session was opened from (as given, for error messages). */
  public Path modelPath() {
    return modelPath;
  }

  /** The process-wide onnxruntime environment, for creating input tensors. */
  public OrtEnvironment environment() {
    return environment;
  }

  /** The raw onnxruntime session. Do not close it: close this holder instead. */
  public OrtSession session() {
    return session;
  }

  /** The device that was asked for (may be {@link Device#AUTO}). */
  public Device requested() {
    return requested;
  }

  /** The execution provider that runs this model: CPU, CUDA or TENSORRT, never AUTO. */
  public Device device() {
    return device;
  }

  public Set<String> inputNames() {
    return session.getInputNames();
  }

  public Set<String> outputNames() {
    return session.getOutputNames();
  }

  /** Closes the native session; a second call does nothing. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      session.close();
    } catch (OrtException e) {
      throw new JobFailedException(
          modelPath + ": could not close onnxruntime session (" + e.getMessage() + ")", e);
    }
  }

  @Override
  public String toString() {
    return "ModelSession[" + modelPath + " on " + device + "]";
  }
}
