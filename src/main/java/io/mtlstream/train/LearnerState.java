package io.mtlstream.train;

import io.mtlstream.train.balance.Balancers;
import io.mtlstream.train.balance.LossBalancer;
import io.mtlstream.train.nn.ParameterLayout;
import io.mtlstream.train.nn.SharedBottomNetwork;

/**
 * The complete, host-side state of a learner: what {@link LearnerStateCodec} writes and a restored
 * learner starts from. The balancer, label statistics and counters are live objects handed over to
 * the learner; the float arrays are copies.
 */
record LearnerState(
    float[] parameters,
    float[] firstMoments,
    float[] secondMoments,
    long[] segmentSteps,
    LossBalancer balancer,
    LabelStatistics labels,
    LearnerCounters counters) {

  static LearnerState initial(LearnerSettings settings) {
    ModelSpec spec = settings.model();
    ParameterLayout layout = new ParameterLayout(spec);
    float[] zeros = new float[layout.size()];
    return new LearnerState(
        SharedBottomNetwork.initialParameters(spec, settings.seed()),
        zeros,
        zeros,
        new long[layout.segmentCount()],
        Balancers.create(settings.balancer(), spec.taskCount(), settings.balancing()),
        newLabelStatistics(settings),
        new LearnerCounters(spec.taskCount()));
  }

  static LabelStatistics newLabelStatistics(LearnerSettings settings) {
    return new LabelStatistics(settings.model(), settings.labelHorizon());
  }
}
