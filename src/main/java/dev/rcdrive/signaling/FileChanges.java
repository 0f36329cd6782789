package dev.rcdrive.signaling;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Tells whether any of a few small files changed since the last look: the server's config (a driver
 * added or revoked) and its certificate and key (a renewal). It compares what each path leads to
 * and a hash of its bytes, so it sees an edit in place, a file renamed over the old one, and
 * certbot's way of renewing (the {@code live/} symlinks pointing at new files), which watch
 * services on the directory miss or report in pieces. Polled every second or two: a handful of
 * small reads.
 */
public final class FileChanges {

  private final List<Path> paths;
  private List<String> last;

  public FileChanges(List<Path> paths) {
    this.paths = List.copyOf(paths);
    this.last = fingerprints();
  }

  /** True once for each change (a file appearing, vanishing or changing counts). */
  public synchronized boolean changed() {
    List<String> now = fingerprints();
    if (now.equals(last)) {
      return false;
    }
    last = now;
    return true;
  }

  private List<String> fingerprints() {
    List<String> prints = new ArrayList<>();
    for (Path path : paths) {
      prints.add(fingerprint(path));
    }
    return prints;
  }

  private static String fingerprint(Path path) {
    try {
      Path real = path.toRealPath();
      byte[] bytes = Files.readAllBytes(real);
      return real + " " + Arrays.toString(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (IOException e) {
      return "unreadable: " + Objects.toString(e.getClass().getSimpleName());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
