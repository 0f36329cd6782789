package dev.rcdrive.packaging;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the package tests read from an ELF shared object: its class, machine and flags (which
 * architecture it is for), the libraries it needs ({@code DT_NEEDED}), its own {@code DT_SONAME},
 * and the symbol versions it needs from each library ({@code .gnu.version_r}: "GLIBC_2.17" from
 * libc.so.6). The same as {@code readelf -h -d -V}, without binutils.
 *
 * @param elfClass 1 = 32-bit, 2 = 64-bit
 * @param machine e_machine: 183 AArch64, 40 ARM, 62 x86-64
 * @param flags e_flags (for ARM: 0x400 = hard-float ABI)
 * @param versions library → the symbol versions needed from it
 */
record Elf(
    int elfClass,
    int machine,
    int flags,
    List<String> needed,
    String soname,
    Map<String, List<String>> versions) {

  static final int EM_ARM = 40;
  static final int EM_X86_64 = 62;
  static final int EM_AARCH64 = 183;
  static final int EF_ARM_ABI_FLOAT_HARD = 0x400;

  private static final int SHT_DYNAMIC = 6;
  private static final int SHT_GNU_VERNEED = 0x6ffffffe;
  private static final int DT_NEEDED = 1;
  private static final int DT_SONAME = 14;

  /** The Debian architecture this object runs on, or "other". */
  String debianArch() {
    if (elfClass == 2 && machine == EM_AARCH64) {
      return "arm64";
    }
    if (elfClass == 1 && machine == EM_ARM && (flags & EF_ARM_ABI_FLOAT_HARD) != 0) {
      return "armhf";
    }
    if (elfClass == 2 && machine == EM_X86_64) {
      return "amd64";
    }
    return "other";
  }

  /** Parses {@code bytes}; throws IllegalArgumentException when they are not a sound ELF file. */
  static Elf read(byte[] bytes) {
    if (bytes.length < 52
        || bytes[0] != 0x7f
        || bytes[1] != 'E'
        || bytes[2] != 'L'
        || bytes[3] != 'F') {
      throw new IllegalArgumentException("not an ELF file");
    }
    int elfClass = bytes[4];
    if (elfClass != 1 && elfClass != 2) {
      throw new IllegalArgumentException("unknown ELF class " + elfClass);
    }
    ByteBuffer b =
        ByteBuffer.wrap(bytes)
            .order(bytes[5] == 2 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
    boolean wide = elfClass == 2;
    try {
      int machine = Short.toUnsignedInt(b.getShort(18));
      int flags = b.getInt(wide ? 48 : 36);
      long shoff = wide ? b.getLong(40) : Integer.toUnsignedLong(b.getInt(32));
      int shentsize = Short.toUnsignedInt(b.getShort(wide ? 58 : 46));
      int shnum = Short.toUnsignedInt(b.getShort(wide ? 60 : 48));
      List<Section> sections = new ArrayList<>();
      for (int i = 0; i < shnum; i++) {
        int at = Math.toIntExact(shoff + (long) i * shentsize);
        sections.add(
            wide
                ? new Section(
                    b.getInt(at + 4),
                    b.getLong(at + 24),
                    b.getLong(at + 32),
                    b.getInt(at + 40),
                    b.getInt(at + 44))
                : new Section(
                    b.getInt(at + 4),
                    Integer.toUnsignedLong(b.getInt(at + 16)),
                    Integer.toUnsignedLong(b.getInt(at + 20)),
                    b.getInt(at + 24),
                    b.getInt(at + 28)));
      }
      List<String> needed = new ArrayList<>();
      String soname = null;
      Map<String, List<String>> versions = new LinkedHashMap<>();
      for (Section s : sections) {
        if (s.type == SHT_DYNAMIC) {
          long strings = sections.get(s.link).offset;
          int entry = wide ? 16 : 8;
          for (long at = s.offset; at + entry <= s.offset + s.size; at += entry) {
            long tag = wide ? b.getLong((int) at) : b.getInt((int) at);
            long value =
                wide ? b.getLong((int) at + 8) : Integer.toUnsignedLong(b.getInt((int) at + 4));
            if (tag == 0) {
              break;
            } else if (tag == DT_NEEDED) {
              needed.add(string(bytes, strings + value));
            } else if (tag == DT_SONAME) {
              soname = string(bytes, strings + value);
            }
          }
        } else if (s.type == SHT_GNU_VERNEED) {
          long strings = sections.get(s.link).offset;
          long at = s.offset;
          for (int n = 0; n < s.info; n++) {
            int count = Short.toUnsignedInt(b.getShort((int) at + 2));
            String file = string(bytes, strings + Integer.toUnsignedLong(b.getInt((int) at + 4)));
            List<String> names = versions.computeIfAbsent(file, f -> new ArrayList<>());
            long aux = at + Integer.toUnsignedLong(b.getInt((int) at + 8));
            for (int k = 0; k < count; k++) {
              names.add(string(bytes, strings + Integer.toUnsignedLong(b.getInt((int) aux + 8))));
              aux += Integer.toUnsignedLong(b.getInt((int) aux + 12));
            }
            at += Integer.toUnsignedLong(b.getInt((int) at + 12));
          }
        }
      }
      return new Elf(elfClass, machine, flags, List.copyOf(needed), soname, versions);
    } catch (IndexOutOfBoundsException | ArithmeticException e) {
      throw new IllegalArgumentException("truncated or corrupt ELF file: " + e.getMessage(), e);
    }
  }

  private record Section(int type, long offset, long size, int link, int info) {}

  private static String string(byte[] bytes, long from) {
    int start = Math.toIntExact(from);
    int end = start;
    while (bytes[end] != 0) {
      end++;
    }
    return new String(bytes, start, end - start, StandardCharsets.US_ASCII);
  }
}
