package io.distillery.models.teacher;

import io.distillery.core.AtomicFiles;
import io.distillery.core.JobFailedException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The sentence encoders the demo teachers are built on: all-MiniLM-L6-v2 (a 6-layer BERT,
 * 22.6 M parameters, Hugging Face export, IR 6 / opset 11) as shipped inside the LangChain4j
 * embedding jars on Maven Central, fp32 and int8-quantised.
 */
public enum EncoderVariant {
  /** fp32, 90 MB: the default teacher encoder. */
  FP32("all-minilm-l6-v2"),
  /** int8 dynamic quantisation, 23 MB: faster, within noise of fp32 on the demo tasks. */
  INT8("all-minilm-l6-v2-q");

  private final String resource;

  EncoderVariant(String resource) {
    this.resource = resource;
  }

  /** The jar resource base name, e.g. {@code all-minilm-l6-v2}. */
  public String resourceName() {
    return resource;
  }

  /**
   * Copies model.onnx and tokenizer.json out of the jar into {@code dir} (a model folder the
   * runtime can open). Files already there with the jar's size are kept.
   */
  public Path extractTo(Path dir) {
    copy("/" + resource + ".onnx", dir.resolve("model.onnx"));
    copy("/" + resource + "-tokenizer.json", dir.resolve("tokenizer.json"));
    return dir;
  }

  private static void copy(String name, Path target) {
    try (InputStream probe = EncoderVariant.class.getResourceAsStream(name)) {
      if (probe == null) {
        throw new JobFailedException(
            "resource " + name + " is not on the classpath (the langchain4j embedding jar is missing)");
      }
      long size = probe.transferTo(java.io.OutputStream.nullOutputStream());
      if (Files.isRegularFile(target) && Files.size(target) == size) {
        return;
      }
    } catch (IOException e) {
      throw new JobFailedException("cannot read resource " + name, e);
    }
    AtomicFiles.write(
        target,
        out -> {
          try (InputStream in = EncoderVariant.class.getResourceAsStream(name)) {
            in.transferTo(out);
          }
        });
  }
}
