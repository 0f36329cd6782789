package dev.rcdrive.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The ELF reader on real natives from the test class path (JNA's and Pi4J's jars). */
class ElfTest {

  static byte[] resource(String name) throws IOException {
    try (InputStream in = ElfTest.class.getClassLoader().getResourceAsStream(name)) {
      assertThat(in).as(name + " on the class path").isNotNull();
      return in.readAllBytes();
    }
  }

  @Test
  void readsA64BitArmLibrary() throws Exception {
    Elf elf = Elf.read(resource("lib/aarch64/pi4j-gpiod/libpi4j-gpiod.so"));

    assertThat(elf.debianArch()).isEqualTo("arm64");
    assertThat(elf.needed()).containsExactly("libgpiod.so.2", "libc.so.6", "ld-linux-aarch64.so.1");
    assertThat(elf.versions()).containsKey("libc.so.6");
    assertThat(elf.versions().get("libc.so.6")).allMatch(v -> v.startsWith("GLIBC_"));
  }

  @Test
  void readsA32BitHardFloatLibraryAndItsSoname() throws Exception {
    Elf elf = Elf.read(resource("lib/armhf/pi4j-gpiod/libgpiod.so"));

    assertThat(elf.debianArch()).isEqualTo("armhf");
    assertThat(elf.soname()).isEqualTo("libgpiod.so.2");
    assertThat(elf.needed()).containsExactly("libc.so.6", "ld-linux-armhf.so.3");
  }

  @Test
  void tellsSoftFloatArmFromHardFloat() throws Exception {
    assertThat(Elf.read(resource("com/sun/jna/linux-armel/libjnidispatch.so")).debianArch())
        .isEqualTo("other");
    assertThat(Elf.read(resource("com/sun/jna/linux-arm/libjnidispatch.so")).debianArch())
        .isEqualTo("armhf");
  }

  @Test
  void aBsdLibraryLooksLikeALinuxOneButNeedsAnotherLibc() throws Exception {
    // why build.sh also drops natives by the OS in their path
    Elf bsd = Elf.read(resource("com/sun/jna/freebsd-aarch64/libjnidispatch.so"));

    assertThat(bsd.debianArch()).isEqualTo("arm64");
    assertThat(bsd.needed()).containsExactly("libc.so.7");
  }

  @Test
  void refusesWhatIsNotAnElfFileOrIsCutShort() throws Exception {
    byte[] real = resource("lib/aarch64/pi4j-gpiod/libpi4j-gpiod.so");

    assertThatThrownBy(
            () -> Elf.read("not a library at all, just some text....".repeat(3).getBytes()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("not an ELF file");
    assertThatThrownBy(() -> Elf.read(Arrays.copyOf(real, 200)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("truncated or corrupt ELF file");
  }
}
