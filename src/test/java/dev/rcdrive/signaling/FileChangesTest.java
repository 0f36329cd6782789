package dev.rcdrive.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileChangesTest {

  @TempDir Path dir;

  @Test
  void anEditInPlaceIsSeenOnce() throws Exception {
    Path config = Files.writeString(dir.resolve("signal.json"), "{}");
    FileChanges changes = new FileChanges(List.of(config));

    assertThat(changes.changed()).isFalse();
    Files.writeString(config, "{\"drivers\":[]}");

    assertThat(changes.changed()).isTrue();
    assertThat(changes.changed()).as("the same change is reported once").isFalse();
  }

  @Test
  void anEditKeepingSizeAndTimeIsStillSeen() throws Exception {
    Path config = Files.writeString(dir.resolve("signal.json"), "aaaa");
    var time = Files.getLastModifiedTime(config);
    FileChanges changes = new FileChanges(List.of(config));

    Files.writeString(config, "bbbb");
    Files.setLastModifiedTime(config, time);

    assertThat(changes.changed()).isTrue();
  }

  @Test
  void aFileRenamedOverTheOldOneIsSeen() throws Exception {
    Path config = Files.writeString(dir.resolve("signal.json"), "old");
    FileChanges changes = new FileChanges(List.of(config));

    Path next = Files.writeString(dir.resolve("signal.json.new"), "new");
    Files.move(next, config, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);

    assertThat(changes.changed()).isTrue();
  }

  /** certbot renews by pointing live/DOMAIN/fullchain.pem at a new file in archive/. */
  @Test
  void aSymlinkPointedAtANewFileIsSeen() throws Exception {
    Path first = Files.writeString(dir.resolve("cert1.pem"), "one");
    Path second = Files.writeString(dir.resolve("cert2.pem"), "one");
    Path live = Files.createSymbolicLink(dir.resolve("fullchain.pem"), first);
    FileChanges changes = new FileChanges(List.of(live));

    Files.delete(live);
    Files.createSymbolicLink(live, second);

    assertThat(changes.changed()).as("same bytes, another file").isTrue();
  }

  @Test
  void aFileAppearingOrVanishingIsAChange() throws Exception {
    Path key = dir.resolve("privkey.pem");
    FileChanges changes = new FileChanges(List.of(key));

    Files.writeString(key, "k");
    assertThat(changes.changed()).isTrue();
    Files.delete(key);
    assertThat(changes.changed()).isTrue();
    assertThat(changes.changed()).isFalse();
  }
}
