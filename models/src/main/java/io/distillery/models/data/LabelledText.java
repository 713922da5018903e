package io.distillery.models.data;

/**
 * One labelled example of a demo task.
 *
 * @param id stable id naming its source, e.g. {@code imdb-0001} or {@code spam-2/01400}
 * @param text the model input
 * @param label the class index into the task's label names
 */
public record LabelledText(String id, String text, int label) {
  public LabelledText {
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException("example id must not be blank");
    }
    if (text == null) {
      throw new IllegalArgumentException(id + ": text must not be null");
    }
    if (label < 0) {
      throw new IllegalArgumentException(id + ": label must be >= 0, found " + label);
    }
  }
}
