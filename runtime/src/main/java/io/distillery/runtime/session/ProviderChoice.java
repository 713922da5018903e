package io.distillery.runtime.session;

import ai.onnxruntime.OrtProvider;
import io.distillery.core.BadInputException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The execution providers to try for a requested {@link Device}, best first. A pure function of
 * the request and the providers this onnxruntime build reports; it makes no native calls, so the
 * choice is testable on any machine. {@link SessionFactory} walks {@link #candidates()} and keeps
 * the first provider that starts.
 *
 * @param requested the device asked for
 * @param candidates devices to try in order; for {@link Device#AUTO} the last one is always CPU
 * @param available the providers onnxruntime reports as compiled in
 */
public record ProviderChoice(Device requested, List<Device> candidates, Set<OrtProvider> available) {

  public ProviderChoice {
    candidates = List.copyOf(candidates);
    available = Set.copyOf(available);
  }

  /**
   * Plans which providers to try.
   *
   * @throws BadInputException when CUDA or TensorRT is asked for explicitly and this onnxruntime
   *     build does not have it
   */
  public static ProviderChoice plan(Device requested, Set<OrtProvider> available) {
    List<Device> candidates = new ArrayList<>();
    switch (requested) {
      case AUTO -> {
        if (available.contains(OrtProvider.TENSOR_RT)) {
          candidates.add(Device.TENSORRT);
        }
        if (available.contains(OrtProvider.CUDA)) {
          candidates.add(Device.CUDA);
        }
        candidates.add(Device.CPU);
      }
      case CPU -> candidates.add(Device.CPU);
      case CUDA, TENSORRT -> {
        OrtProvider provider = requested.provider().orElseThrow();
        if (!available.contains(provider)) {
          throw new BadInputException(
              "device "
                  + requested.name().toLowerCase()
                  + ": execution provider "
                  + provider.name()
                  + " is not in this onnxruntime build (available: "
                  + names(available)
                  + "); use device auto or cpu, or build with -Pgpu on a machine with a GPU");
        }
        candidates.add(requested);
      }
    }
    return new ProviderChoice(requested, candidates, available);
  }

  /**
   * The one stderr line an {@link Device#AUTO} session prints: which provider runs and why.
   *
   * @param model the model file the session opened
   * @param running the provider that started
   * @param failures one entry per provider that was tried first and failed, e.g. {@code "CUDA
   *     failed: libcudart.so.12 not found"}
   */
  public String logLine(Path model, Device running, List<String> failures) {
    String why;
    if (!failures.isEmpty()) {
      why = "fell back: " + String.join("; ", failures);
    } else if (running == Device.CPU) {
      why = "no GPU provider in this onnxruntime build, available " + names(available);
    } else {
      why = "best of available " + names(available);
    }
    return "distillery: " + model + " runs on " + running + " (" + requested.name().toLowerCase()
        + ": " + why + ")";
  }

  /** Provider names, in enum order, e.g. {@code [CPU, CUDA]}. */
  public static String names(Set<OrtProvider> providers) {
    EnumSet<OrtProvider> sorted = EnumSet.noneOf(OrtProvider.class);
    sorted.addAll(providers);
    return sorted.toString();
  }
}
