package dev.rcdrive.rtc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one line a user reads when a native library does not load. */
class NativeLoadFailureTest {

  @TempDir Path dir;

  @Test
  void namesTheMissingLibraryAndThePackageThatProvidesIt() {
    // what the arm64 agent printed on a clean bookworm with libpulse0 only (issue 12)
    UnsatisfiedLinkError e =
        new UnsatisfiedLinkError(
            "/tmp/webrtc-java-linux-aarch6412.so: libXfixes.so.3: cannot open shared object file:"
                + " No such file or directory");

    assertThat(NativeLoadFailure.explain(e))
        .isEqualTo("libXfixes.so.3 is missing: sudo apt-get install libxfixes3");
  }

  @Test
  void findsTheLoaderMessageInACause() {
    Throwable later =
        new NoClassDefFoundError("Could not initialize class dev.onvoid.webrtc.X")
            .initCause(
                new ExceptionInInitializerError(
                    "Exception java.lang.UnsatisfiedLinkError: /tmp/x.so: libdbus-1.so.3: cannot"
                        + " open shared object file: No such file or directory"));

    assertThat(NativeLoadFailure.explain(later))
        .isEqualTo("libdbus-1.so.3 is missing: sudo apt-get install libdbus-1-3");
  }

  @Test
  void aLibraryTheTableDoesNotKnowIsStillNamed() {
    UnsatisfiedLinkError e =
        new UnsatisfiedLinkError("/tmp/x.so: libfoo.so.7: cannot open shared object file: ...");

    assertThat(NativeLoadFailure.explain(e))
        .isEqualTo(
            "libfoo.so.7 is missing: install the package that provides it (apt-file search"
                + " libfoo.so.7)");
  }

  @Test
  void anyOtherFailureKeepsTheLoadersWords() {
    UnsatisfiedLinkError e =
        new UnsatisfiedLinkError(
            "/tmp/x.so: version `GLIBC_2.38' not found (required by /tmp/x.so)");

    assertThat(NativeLoadFailure.explain(e))
        .isEqualTo("/tmp/x.so: version `GLIBC_2.38' not found (required by /tmp/x.so)");
  }

  @Test
  void readsTheRealLoadersMessage() throws Exception {
    // JNA's library for this machine, with its libc.so.6 dependency renamed to a library that
    // does not exist: System.load fails the way a missing dependency does on a Pi
    String arch = System.getProperty("os.arch");
    String dir =
        arch.equals("amd64") ? "linux-x86-64" : arch.equals("aarch64") ? "linux-aarch64" : null;
    assumeTrue(dir != null && System.getProperty("os.name").equals("Linux"), "Linux x86-64/arm64");
    byte[] lib;
    try (InputStream in =
        getClass()
            .getClassLoader()
            .getResourceAsStream("com/sun/jna/" + dir + "/libjnidispatch.so")) {
      lib = in.readAllBytes();
    }
    byte[] from = "libc.so.6\0".getBytes(StandardCharsets.US_ASCII);
    byte[] to = "libq.so.6\0".getBytes(StandardCharsets.US_ASCII);
    int at = indexOf(lib, from);
    assertThat(at).isPositive();
    System.arraycopy(to, 0, lib, at, to.length);
    Path broken = Files.write(dir(), lib);

    UnsatisfiedLinkError e = null;
    try {
      System.load(broken.toString());
    } catch (UnsatisfiedLinkError thrown) {
      e = thrown;
    }

    assertThat(e).isNotNull();
    assertThat(NativeLoadFailure.explain(e)).startsWith("libq.so.6 is missing:");
  }

  private Path dir() {
    return this.dir.resolve("libbroken.so");
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
