package io.mtlstream.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real in-process broker for all tests of a class, with an admin client on it: register as a
 * static field with {@code @RegisterExtension}. Started before the class's first test, closed after
 * its last, admin first.
 */
public final class SharedBroker implements BeforeAllCallback, AfterAllCallback {

  private EmbeddedKafkaBroker broker;
  private Admin admin;

  @Override
  public void beforeAll(ExtensionContext context) {
    broker = EmbeddedKafkaBroker.builder().build().start();
    admin = KafkaTestClients.admin(broker.bootstrapServers());
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (admin != null) {
      admin.close();
    }
    if (broker != null) {
      broker.close();
    }
  }

  public String bootstrapServers() {
    return broker.bootstrapServers();
  }

  public Admin admin() {
    return admin;
  }
}
