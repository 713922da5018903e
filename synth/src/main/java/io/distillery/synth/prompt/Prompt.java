package io.distillery.synth.prompt;

/**
 * One prompt for the generator.
 *
 * @param id stable name of the prompt's recipe (e.g. {@code t2/l1/d0}: template 2, label 1,
 *     domain 0), so a learning strategy can credit the recipe rather than the text
 * @param text what the generator continues
 * @param intendedLabel the label the prompt asks for, or {@link #NO_LABEL}
 * @param sampleStart the tail of {@code text} that is part of the sample itself (a topic prompt
 *     such as "The acting"; PromptDFD's sample is topic prompt + content), {@code ""} when the
 *     sample is the continuation alone
 */
public record Prompt(String id, String text, int intendedLabel, String sampleStart) {
  /** The intended label of a text that was not written for any label (e.g. a raw corpus line). */
  public static final int NO_LABEL = -1;

  public Prompt {
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException("prompt id must be non-blank");
    }
    if (text == null || text.isEmpty()) {
      throw new IllegalArgumentException("prompt " + id + ": text must be non-empty");
    }
    if (sampleStart == null || !text.endsWith(sampleStart)) {
      throw new IllegalArgumentException("prompt " + id + ": sampleStart must end the text");
    }
    if (intendedLabel < NO_LABEL) {
      throw new IllegalArgumentException(
          "prompt " + id + ": intendedLabel must be >= -1, got " + intendedLabel);
    }
  }

  /** A prompt whose sample is the continuation alone. */
  public Prompt(String id, String text, int intendedLabel) {
    this(id, text, intendedLabel, "");
  }
}
