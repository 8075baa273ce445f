package io.mtlstream.stream;

/** A record for one of the learner's output topics. Never serialised as a whole. */
record LearnerOutput(Kind kind, byte[] value) {
  enum Kind {
    REPORT,
    SNAPSHOT
  }
}
