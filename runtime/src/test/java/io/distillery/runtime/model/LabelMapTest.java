package io.distillery.runtime.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.distillery.core.BadInputException;
import io.distillery.core.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabelMapTest {
  @TempDir Path dir;

  private Path config(String json) throws IOException {
    return Files.writeString(dir.resolve("config.json"), json);
  }

  @Test
  void readsId2LabelInIdOrder() throws IOException {
    Path config = config("{\"model_type\": \"distilbert\", \"id2label\": {\"1\": \"POSITIVE\", \"0\": \"NEGATIVE\"}}");
    LabelMap labels = LabelMap.read(config).orElseThrow();
    assertEquals(List.of("NEGATIVE", "POSITIVE"), labels.names());
    assertEquals(1, labels.indexOf("POSITIVE"));
    assertEquals(Map.of("0", "NEGATIVE", "1", "POSITIVE"), labels.id2label());
    assertEquals(labels, LabelMap.forModel(Optional.of(config), 2));
  }

  @Test
  void defaultsWhenAbsent() throws IOException {
    assertEquals(List.of("LABEL_0", "LABEL_1", "LABEL_2"), LabelMap.forModel(Optional.empty(), 3).names());
    Path noLabels = config("{\"model_type\": \"bert\"}");
    assertEquals(Optional.empty(), LabelMap.read(noLabels));
    assertEquals(List.of("LABEL_0", "LABEL_1"), LabelMap.forModel(Optional.of(noLabels), 2).names());
  }

  @Test
  void notJsonNamesTheFileOnOneLine() throws IOException {
    Path config = config("{\"id2label\": {\"0\": \"a\",\n oops");
    BadInputException e = assertThrows(BadInputException.class, () -> LabelMap.read(config));
    assertTrue(e.getMessage().startsWith(config + ": not a model config.json (not JSON: "), e.getMessage());
    assertTrue(e.getMessage().contains(" at line 2 column "), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
  }

  @Test
  void idsMustBeZeroToLMinusOne() throws IOException {
    Path gap = config("{\"id2label\": {\"0\": \"a\", \"2\": \"b\"}}");
    BadInputException e = assertThrows(BadInputException.class, () -> LabelMap.read(gap));
    assertEquals(gap + ": id2label ids must be 0..1, found [0, 2]", e.getMessage());
    Path word = config("{\"id2label\": {\"zero\": \"a\"}}");
    e = assertThrows(BadInputException.class, () -> LabelMap.read(word));
    assertEquals(word + ": id2label key 'zero' is not an integer id", e.getMessage());
  }

  @Test
  void labelCountMustMatchTheModel() throws IOException {
    Path config = config("{\"id2label\": {\"0\": \"a\", \"1\": \"b\"}}");
    BadInputException e = assertThrows(BadInputException.class,
        () -> LabelMap.forModel(Optional.of(config), 3));
    assertEquals(config + ": id2label has 2 labels but the model's logits have 3", e.getMessage());
  }

  @Test
  void namesMustBeDistinct() {
    assertThrows(ConfigException.class, () -> new LabelMap(List.of("a", "a")));
    assertThrows(ConfigException.class, () -> LabelMap.defaults(0));
  }
}
