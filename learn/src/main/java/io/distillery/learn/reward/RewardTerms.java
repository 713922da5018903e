package io.distillery.learn.reward;

/**
 * One sample's reward, term by term.
 *
 * @param specificity teacher probability of the intended label (0 for a filtered text)
 * @param disagreement KL(teacher ‖ student) in nats, clipped (0 with no student yet, or filtered)
 * @param novelty share of the text's distinct word bigrams not yet in the corpus (0 if filtered)
 * @param filtered whether the filters threw the text away before the teacher saw it
 * @param total the weighted sum
 */
public record RewardTerms(double specificity, double disagreement, double novelty, boolean filtered,
    double total) {}
