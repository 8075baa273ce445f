package io.mtlstream.train.nn;

import ai.djl.pytorch.jni.JniUtils;

/**
 * libtorch's grad mode is per thread and starts on; DJL's gradient collector restores the mode it
 * found when it closes. On any thread but the one that loaded the engine, every op outside a
 * collector would then record autograd history: the optimizer's views of the parameters, the
 * gradient norms, evaluation. A learner stepped on a worker thread (a Kafka Streams thread) kept
 * one gradient buffer per step alive that way, 100 MB/s in a training loop. Code that runs arrays
 * on the caller's thread calls {@link #off()} first.
 */
public final class GradMode {

  private GradMode() {}

  /** Turns gradient recording off on the calling thread (a collector turns it on for its scope). */
  public static void off() {
    JniUtils.setGradMode(false);
  }
}
