package io.distillery.runtime.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.distillery.core.ModelLoadException;
import io.distillery.runtime.session.ModelSession;
import io.distillery.runtime.session.SessionConfig;
import io.distillery.runtime.session.SessionFactory;
import io.distillery.runtime.testing.TestModels;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SignatureTest {
  @Test
  void minilmIsAnEncoderNotAClassifier() {
    Path model = TestModels.minilmInt8().resolve("model.onnx");
    try (ModelSession session = new SessionFactory().open(model, SessionConfig.cpu())) {
      EncoderSignature encoder = EncoderSignature.check(model, session.session());
      assertEquals(384, encoder.hiddenSize());
      assertTrue(encoder.hasTokenTypeIds());
      ModelLoadException e = assertThrows(ModelLoadException.class,
          () -> ClassifierSignature.check(model, session.session()));
      assertEquals(model + ": no output 'logits' (has [last_hidden_state]); expected a text classifier"
          + " with a float logits [batch, labels] output", e.getMessage());
    }
  }

  @Test
  void composedClassifierHasLogitsAndNoHiddenState() {
    Path model = TestModels.classifier(TestModels.minilmInt8()).resolve("model.onnx");
    try (ModelSession session = new SessionFactory().open(model, SessionConfig.cpu())) {
      ClassifierSignature classifier = ClassifierSignature.check(model, session.session());
      assertEquals(3, classifier.numLabels());
      assertTrue(classifier.hasTokenTypeIds());
      ModelLoadException e = assertThrows(ModelLoadException.class,
          () -> EncoderSignature.check(model, session.session()));
      assertEquals(model + ": no output 'last_hidden_state' (has [logits]); expected a text encoder"
          + " with a float last_hidden_state [batch, seq, hidden] output", e.getMessage());
    }
  }
}
