package io.mtlstream.serve;

/**
 * A request the server answers with an error: HTTP status, a bounded error code (also the {@code
 * reason} tag of {@code mtl.serve.errors}) and a message for the client. Expected bad input, not a
 * bug: it is never logged as an error.
 */
final class ServeError extends RuntimeException {

  private final int status;
  private final String code;

  ServeError(int status, String code, String message) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
  }

  static ServeError badRequest(String code, String message) {
    return new ServeError(400, code, message);
  }

  int status() {
    return status;
  }

  String code() {
    return code;
  }
}
