package io.distillery.runtime.text;

/**
 * One text after tokenization, without padding: the attention mask is all ones over {@link
 * #length()} tokens.
 *
 * @param ids token ids, special tokens included, at most the tokenizer's max length
 * @param typeIds token type (segment) ids, same length as {@code ids}
 * @param originalLength how many tokens the text had before truncation
 * @param truncated whether tokens were cut off to fit the max length
 */
public record TokenizedText(long[] ids, long[] typeIds, int originalLength, boolean truncated) {
  public TokenizedText {
    if (ids.length != typeIds.length) {
      throw new IllegalArgumentException(
          "ids and typeIds differ in length: " + ids.length + " vs " + typeIds.length);
    }
    if (originalLength < ids.length || truncated != (originalLength > ids.length)) {
      throw new IllegalArgumentException(
          "originalLength " + originalLength + " inconsistent with " + ids.length
              + " ids, truncated=" + truncated);
    }
  }

  /** The number of tokens fed to the model. */
  public int length() {
    return ids.length;
  }
}
