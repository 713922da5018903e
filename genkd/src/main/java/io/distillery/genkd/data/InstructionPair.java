package io.distillery.genkd.data;

/**
 * One instruction: a prefix of a corpus document and the document's continuation after it.
 *
 * @param document index of the source document in the corpus file (0-based line number)
 * @param kind how the document was cut
 * @param prefix the instruction text the model continues
 * @param continuation the reference response (the rest of the document, cut to the response
 *     budget in tokens)
 * @param prefixIds tokens of the model input: end-of-text as a document start, then the prefix
 * @param responseIds tokens of the reference response, ending with end-of-text when the document
 *     ended inside the budget
 */
public record InstructionPair(int document, CutKind kind, String prefix, String continuation,
    int[] prefixIds, int[] responseIds) {

  /** How a document becomes a prefix and a continuation. */
  public enum CutKind {
    /** A dictionary entry "headword: gloss" (WordNet): the headword and colon, then the gloss. */
    GLOSS,
    /** A text of several sentences (fortunes, Moby-Dick, speeches): the first sentence, the rest. */
    FIRST_SENTENCE,
    /** Any other text of at least 8 words: its first half of the words, then the second half. */
    HALF
  }
}
