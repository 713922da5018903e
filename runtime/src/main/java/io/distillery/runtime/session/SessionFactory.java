package io.distillery.runtime.session;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import io.distillery.core.BadInputException;
import io.distillery.core.ModelLoadException;
import io.distillery.export.check.OnnxFileCheck;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Opens onnxruntime sessions on the process-wide {@link OrtEnvironment}, choosing the execution
 * provider with {@link ProviderChoice}. For {@link Device#AUTO} a GPU provider that fails to start
 * (no GPU, missing CUDA libraries, CPU-only onnxruntime jar) is skipped and the session falls back
 * to CPU; such a session prints one line saying which provider runs and why. An explicit CUDA or
 * TensorRT request that cannot be met is a {@link BadInputException}.
 */
public final class SessionFactory {
  private final OrtEnvironment environment;
  private final Set<OrtProvider> available;
  private final Consumer<String> log;

  /** A factory over the providers this onnxruntime build has, logging to stderr. */
  public SessionFactory() {
    this(OrtEnvironment.getAvailableProviders(), System.err::println);
  }

  /**
   * A factory that believes {@code available} are the compiled-in providers and sends its one-line
   * provider reports to {@code log}. Claiming a provider the build lacks exercises the real
   * fallback path: onnxruntime then fails to add it and the session falls back to CPU.
   */
  public SessionFactory(Set<OrtProvider> available, Consumer<String> log) {
    this.environment = environment();
    this.available = Set.copyOf(available);
    this.log = log;
  }

  /** The one onnxruntime environment of this process (errors only in its native log). */
  public static OrtEnvironment environment() {
    return OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR, "distillery");
  }

  /** The execution providers this onnxruntime build has, e.g. {@code [CPU]}. */
  public static Set<OrtProvider> availableProviders() {
    return OrtEnvironment.getAvailableProviders();
  }

  /** The devices worth offering on this build: CPU, CUDA and TENSORRT when present, and AUTO. */
  public static List<Device> availableDevices() {
    Set<OrtProvider> providers = availableProviders();
    List<Device> devices = new ArrayList<>();
    for (Device device : Device.values()) {
      if (device == Device.AUTO || providers.contains(device.provider().orElseThrow())) {
        devices.add(device);
      }
    }
    return devices;
  }

  /** The providers this factory plans with (the real build's, unless a test said otherwise). */
  public Set<OrtProvider> available() {
    return available;
  }

  /**
   * Opens {@code model} on the device {@code config} asks for.
   *
   * @throws ModelLoadException when the file is missing or onnxruntime cannot load it
   * @throws BadInputException when an explicitly requested GPU provider is missing or fails
   */
  public ModelSession open(Path model, SessionConfig config) {
    return open(model, null, config);
  }

  /**
   * Like {@link #open(Path, SessionConfig)}, but the session runs {@code bytes}: a model derived
   * in memory from the file {@code model} (checked as above; it names the session in messages),
   * e.g. the file with nodes appended.
   */
  public ModelSession open(Path model, byte[] bytes, SessionConfig config) {
    if (!Files.isRegularFile(model)) {
      throw new ModelLoadException(
          model, Files.exists(model) ? "not a file; expected an ONNX model" : "not found");
    }
    if (!Files.isReadable(model)) {
      throw new ModelLoadException(model, "not readable");
    }
    OnnxFileCheck.check(model); // hostile files are refused here, before the native loader sees them
    ProviderChoice choice = ProviderChoice.plan(config.device(), available);
    List<String> failures = new ArrayList<>();
    for (Device candidate : choice.candidates()) {
      try {
        OrtSession session = create(model, bytes, config, candidate);
        if (config.device() == Device.AUTO) {
          log.accept(choice.logLine(model, candidate, failures));
        }
        return new ModelSession(model, environment, session, config.device(), candidate, config);
      } catch (OrtException | UnsatisfiedLinkError e) {
        String reason = oneLine(e.getMessage());
        if (candidate == Device.CPU) {
          throw new ModelLoadException(
              model, "onnxruntime cannot load it as an ONNX model (" + reason + ")", e);
        }
        if (config.device() != Device.AUTO) {
          throw new ModelLoadException(
              model,
              "execution provider "
                  + candidate
                  + " failed to start ("
                  + reason
                  + "); available "
                  + ProviderChoice.names(available)
                  + "; use device auto to fall back to CPU",
              e);
        }
        failures.add(candidate + " failed: " + reason);
      }
    }
    throw new IllegalStateException("provider plan without CPU: " + choice);
  }

  /**
   * A CPU session for a small helper graph built in memory (e.g. {@code LogitsReducer}), with the
   * threads, spinning and optimisation level of {@code config}.
   */
  public static OrtSession openCpu(byte[] model, SessionConfig config) throws OrtException {
    try (OrtSession.SessionOptions options = options(config)) {
      return environment().createSession(model, options);
    }
  }

  private static OrtSession.SessionOptions options(SessionConfig config) throws OrtException {
    OrtSession.SessionOptions options = new OrtSession.SessionOptions();
    options.setOptimizationLevel(config.optimization().ort());
    if (config.intraOpThreads() > 0) {
      options.setIntraOpNumThreads(config.intraOpThreads());
    }
    if (!config.spinning()) {
      options.addConfigEntry("session.intra_op.allow_spinning", "0");
    }
    return options;
  }

  private OrtSession create(Path model, byte[] bytes, SessionConfig config, Device device)
      throws OrtException {
    try (OrtSession.SessionOptions options = options(config)) {
      switch (device) {
        case TENSORRT -> {
          options.addTensorrt(0);
          if (available.contains(OrtProvider.CUDA)) {
            options.addCUDA(0); // runs the nodes TensorRT does not take
          }
        }
        case CUDA -> options.addCUDA(0);
        case CPU -> { }
        case AUTO -> throw new IllegalArgumentException("AUTO is not a provider");
      }
      return bytes == null ? environment.createSession(model.toString(), options)
          : environment.createSession(bytes, options);
    }
  }

  /** onnxruntime messages can span lines; errors in Distillery are one line. */
  static String oneLine(String message) {
    if (message == null || message.isBlank()) {
      return "no message";
    }
    return message.strip().replaceAll("\\s*\\R\\s*", " ");
  }
}
