package io.distillery.learn.policy;

/**
 * What a policy update reports.
 *
 * @param entropy mean entropy of the policy (nats) over the labels it was updated for
 * @param klToStart mean KL(π ‖ π₀) to the initial policy, in nats
 */
public record PolicyStats(double entropy, double klToStart) {}
