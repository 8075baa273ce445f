package io.mtlstream.stream;

/**
 * What the decode stage emits: either input for a model's learner (an event record or a rejection
 * notice, see {@link LearnerInput}) or a dead-letter record carrying the original key and value.
 * Exactly one of the two is set. Never serialised: it only crosses the in-process branch.
 */
record Routed(byte[] learnerInput, byte[] originalKey, byte[] originalValue) {

  static Routed toLearner(byte[] input) {
    return new Routed(input, null, null);
  }

  static Routed deadLetter(byte[] key, byte[] value) {
    return new Routed(null, key, value);
  }

  boolean isDeadLetter() {
    return learnerInput == null;
  }
}
