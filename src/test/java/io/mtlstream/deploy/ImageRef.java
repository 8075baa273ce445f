package io.mtlstream.deploy;

import java.util.regex.Pattern;

/**
 * A container image reference {@code [registry[:port]/]repository[:tag][@digest]} and the rule for
 * "pinned": a digest, or a tag that starts with a full version (major.minor.patch, optionally with
 * a {@code v} and a suffix such as {@code _8-jre-noble}). {@code latest}, no tag, and floating tags
 * like {@code 17-jre} or {@code 3.9-eclipse-temurin-17} are not pinned.
 */
record ImageRef(String repository, String tag, String digest) {

  private static final Pattern FULL_VERSION = Pattern.compile("v?\\d+\\.\\d+\\.\\d+([._+-].*)?");
  private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");

  static ImageRef parse(String reference) {
    String rest = reference.trim();
    String digest = null;
    int at = rest.indexOf('@');
    if (at >= 0) {
      digest = rest.substring(at + 1);
      rest = rest.substring(0, at);
    }
    // A ':' after the last '/' separates the tag; one before it belongs to a registry port.
    int colon = rest.lastIndexOf(':');
    String tag = null;
    if (colon > rest.lastIndexOf('/')) {
      tag = rest.substring(colon + 1);
      rest = rest.substring(0, colon);
    }
    return new ImageRef(rest, tag, digest);
  }

  boolean pinned() {
    if (digest != null) {
      return DIGEST.matcher(digest).matches();
    }
    return tag != null && !tag.equals("latest") && FULL_VERSION.matcher(tag).matches();
  }
}
