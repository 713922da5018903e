package io.distillery.learn.policy;

/**
 * One sampled topic prompt: what a {@link TopicPolicy} chose for one row, and what it needs to
 * credit the choice later.
 *
 * @param label the intended label it was sampled for
 * @param template the index of the label template the topic follows
 * @param topic the topic prompt text (e.g. "The acting"), which starts the sample itself
 * @param logProb the policy's log-probability of this choice when it was sampled
 * @param payload the policy's own record of the choice (factor indices, token ids)
 */
public record TopicAction(int label, int template, String topic, double logProb, Object payload) {}
