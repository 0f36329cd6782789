package dev.rcdrive.station.connect;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfilesTest {

  @TempDir Path dir;

  @Test
  void remembersTheNewestFirstAndSurvivesARestart() {
    Profiles profiles = Profiles.load(dir);
    profiles.remember(new Profiles.Profile("wss://a:8443", "t1", "buggy"));
    profiles.remember(new Profiles.Profile("wss://b:8443", "t2", null));
    profiles.remember(new Profiles.Profile("wss://a:8443", "t1", "truck"));

    Profiles again = Profiles.load(dir);

    assertThat(again.all()).hasSize(2);
    assertThat(again.latest()).isEqualTo(new Profiles.Profile("wss://a:8443", "t1", "truck"));
    assertThat(again.problem()).isNull();
  }

  @Test
  void tokensAreReadableByTheOwnerOnly() throws Exception {
    Profiles.load(dir).remember(new Profiles.Profile("wss://a", "secret", null));

    assertThat(Files.getPosixFilePermissions(dir.resolve("profiles.json")))
        .extracting(Object::toString)
        .containsExactlyInAnyOrder("OWNER_READ", "OWNER_WRITE");
  }

  @Test
  void aForgottenConnectionTakesItsTokenWithIt() throws Exception {
    Profiles profiles = Profiles.load(dir);
    Profiles.Profile keep = new Profiles.Profile("wss://a:8443", "t1", "buggy");
    Profiles.Profile drop = new Profiles.Profile("wss://b:8443", "forget-me", null);
    profiles.remember(keep);
    profiles.remember(drop);

    assertThat(profiles.forget(drop)).isTrue();
    assertThat(profiles.forget(drop)).isFalse();

    assertThat(Profiles.load(dir).all()).containsExactly(keep);
    assertThat(Files.readString(dir.resolve("profiles.json"))).doesNotContain("forget-me");
  }

  @Test
  void corruptFileIsKeptAsideAndSaysSo() throws Exception {
    Files.writeString(dir.resolve("profiles.json"), "{ this is not json");

    Profiles profiles = Profiles.load(dir);

    assertThat(profiles.all()).isEmpty();
    assertThat(profiles.problem()).contains("profiles.json.bad");
    assertThat(Files.readString(dir.resolve("profiles.json.bad"))).isEqualTo("{ this is not json");
  }

  @Test
  void aFileWrittenByTheFormerCodeIsReadWithUnknownFieldsIgnored() throws Exception {
    Files.writeString(
        dir.resolve("profiles.json"),
        """
        {
          "profiles" : [ {
            "server" : "wss://a:8443",
            "token" : "t1",
            "lastCar" : null
          }, null, {
            "server" : "wss://b:8443",
            "token" : "t2",
            "lastCar" : "truck",
            "colour" : { "rgb" : [ 1, 2, 3 ] }
          }, {
            "token" : "no server"
          } ],
          "version" : 2
        }
        """);

    Profiles profiles = Profiles.load(dir);

    assertThat(profiles.problem()).isNull();
    assertThat(profiles.all())
        .containsExactly(
            new Profiles.Profile("wss://a:8443", "t1", null),
            new Profiles.Profile("wss://b:8443", "t2", "truck"));
  }

  @Test
  void aFileOfOtherShapesIsKeptAside() throws Exception {
    for (String foreign :
        new String[] {"[1, 2]", "{\"profiles\": 3}", "{\"profiles\": [{\"server\": 5}]}"}) {
      Files.writeString(dir.resolve("profiles.json"), foreign);

      Profiles profiles = Profiles.load(dir);

      assertThat(profiles.all()).as(foreign).isEmpty();
      assertThat(profiles.problem()).as(foreign).contains("profiles.json.bad");
      assertThat(Files.readString(dir.resolve("profiles.json.bad"))).isEqualTo(foreign);
    }
  }
}
