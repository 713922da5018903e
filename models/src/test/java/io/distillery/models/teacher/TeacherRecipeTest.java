package io.distillery.models.teacher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.distillery.export.check.OnnxChecker;
import io.distillery.models.data.DataLayout;
import io.distillery.models.data.DemoTask;
import io.distillery.models.data.FitData;
import io.distillery.runtime.batch.BatchConfig;
import io.distillery.runtime.classify.ClassifierModel;
import io.distillery.runtime.classify.EncoderModel;
import io.distillery.runtime.session.SessionConfig;
import io.distillery.runtime.session.SessionFactory;
import io.distillery.train.head.HeadTrainingConfig;
import io.distillery.train.head.LinearHead;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Builds a small real teacher (int8 MiniLM from its jar, head trained with DJL on 300 sentiment
 * sentences) and checks the composed ONNX graph against a Java reference: the encoder's
 * last_hidden_state mean-pooled in Java, times the head's W, plus b.
 */
class TeacherRecipeTest {
  @TempDir Path tmp;

  @Test
  void composedTeacherMatchesEncoderPlusJavaHead() throws Exception {
    DataLayout layout = DataLayout.at(repoRoot());
    Path out = tmp.resolve("teacher");
    TeacherConfig config = new TeacherConfig(
        DemoTask.SENTIMENT, EncoderVariant.INT8,
        HeadTrainingConfig.defaults().withEpochs(15), 2, 300);
    TeacherRecipe.Result result = new TeacherRecipe(layout, System.err).build(config, out);
    assertTrue(result.devAccuracy() > 0.7, "a 300-example head should beat chance: " + result);
    for (String f : List.of("model.onnx", "tokenizer.json", "config.json", "README.md")) {
      assertTrue(Files.isRegularFile(out.resolve(f)), f);
    }
    OnnxChecker.check(out.resolve("model.onnx"));

    List<String> texts = FitData.texts(DemoTask.SENTIMENT.fitData(layout).dev()).subList(0, 40);
    SessionFactory sessions = new SessionFactory();
    SessionConfig cpu = SessionConfig.cpu().withIntraOpThreads(2);
    float[][] pooled;
    Path encoderDir = layout.root().resolve("models/build/encoders").resolve(EncoderVariant.INT8.resourceName());
    try (EncoderModel enc = EncoderModel.open(encoderDir, sessions, cpu, BatchConfig.defaults())) {
      pooled = enc.encoder().meanPooled(texts);
    }
    try (ClassifierModel clf = ClassifierModel.open(out, sessions, cpu, BatchConfig.defaults())) {
      float[][] logits = clf.classifier().logits(texts);
      assertEquals(List.of("negative", "positive"), clf.labels().names());
      LinearHead head = result.head();
      for (int i = 0; i < texts.size(); i++) {
        float[] expected = head.logits(pooled[i]);
        assertEquals(2, logits[i].length);
        for (int j = 0; j < 2; j++) {
          assertEquals(expected[j], logits[i][j], 1e-4, "text " + i + " label " + j);
        }
      }
    }
  }

  static Path repoRoot() {
    return Path.of(System.getProperty("distillery.root", "..")).toAbsolutePath().normalize();
  }
}
