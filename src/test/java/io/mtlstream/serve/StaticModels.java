package io.mtlstream.serve;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/** A model source with one model id whose model the test sets, for server tests without Kafka. */
final class StaticModels implements ModelSource {

  private final String modelId;
  private final AtomicReference<ServedModel> current = new AtomicReference<>();

  StaticModels(String modelId) {
    this.modelId = modelId;
  }

  /** Serves {@code model} from now on; retires the previous one. */
  void set(ServedModel model) {
    ServedModel previous = current.getAndSet(model);
    if (previous != null) {
      previous.retire();
    }
  }

  @Override
  public String defaultModelId() {
    return modelId;
  }

  @Override
  public boolean serves(String id) {
    return id.equals(modelId);
  }

  @Override
  public Optional<ServedModel> current(String id) {
    return serves(id) ? Optional.ofNullable(current.get()) : Optional.empty();
  }
}
