package io.distillery.runtime.bench;

import ai.djl.MalformedModelException;
import ai.djl.huggingface.translator.TextClassificationTranslatorFactory;
import ai.djl.inference.Predictor;
import ai.djl.modality.Classifications;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.TranslateException;
import io.distillery.core.JobFailedException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The pipeline a Java user would otherwise write: DJL's ONNX Runtime engine with DJL's Hugging
 * Face text-classification translator on the same model folder, in file order, with DJL's
 * tokenizer defaults (pad each batch to its longest text). The baseline of the batching bench.
 */
public final class DjlOrtPipeline implements AutoCloseable {
  private final ZooModel<String, Classifications> model;
  private final Predictor<String, Classifications> predictor;
  private final int batchSize;

  /**
   * DJL's engine insists on creating the process's one {@code OrtEnvironment} itself (with
   * threading options) and fails if one exists; call this before any Distillery session opens.
   */
  public static void initEngineFirst() {
    ai.djl.engine.Engine.getEngine("OnnxRuntime");
  }

  public DjlOrtPipeline(Path modelFolder, int threads, int batchSize, boolean tokenTypes) {
    this.batchSize = batchSize;
    Criteria.Builder<String, Classifications> b = Criteria.builder()
        .setTypes(String.class, Classifications.class)
        .optModelPath(modelFolder)
        .optModelName("model")
        .optEngine("OnnxRuntime")
        .optTranslatorFactory(new TextClassificationTranslatorFactory())
        .optArgument("includeTokenTypes", String.valueOf(tokenTypes));
    if (threads > 0) {
      b.optOption("intraOpNumThreads", String.valueOf(threads))
          .optOption("interOpNumThreads", "1");
    }
    try {
      this.model = b.build().loadModel();
      this.predictor = model.newPredictor();
    } catch (IOException | ModelNotFoundException | MalformedModelException e) {
      throw new JobFailedException(modelFolder + ": DJL cannot load it: " + e.getMessage(), e);
    }
  }

  /** Classifies all texts in file-order batches; returns the number of texts done. */
  public int classify(List<String> texts) {
    try {
      for (int i = 0; i < texts.size(); i += batchSize) {
        List<String> chunk = texts.subList(i, Math.min(texts.size(), i + batchSize));
        if (chunk.size() == 1) {
          predictor.predict(chunk.get(0));
        } else {
          predictor.batchPredict(chunk);
        }
      }
      return texts.size();
    } catch (TranslateException e) {
      throw new JobFailedException("DJL pipeline failed: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    predictor.close();
    model.close();
  }
}
