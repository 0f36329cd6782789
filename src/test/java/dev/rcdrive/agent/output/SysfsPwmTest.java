package dev.rcdrive.agent.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SysfsPwmTest {

  @TempDir Path root;

  @Test
  void exportsSetsPeriodDutyAndEnables() throws Exception {
    FakeSysfs sysfs = new FakeSysfs(root, 0, 2);
    Thread kernel = sysfs.kernel();

    PwmChannel channel = new SysfsPwm(root, 0).open(1, 20_000_000, 1_500_000);
    kernel.interrupt();

    assertThat(sysfs.read(1, "period")).isEqualTo(20_000_000);
    assertThat(sysfs.read(1, "duty_cycle")).isEqualTo(1_500_000);
    assertThat(sysfs.read(1, "enable")).isEqualTo(1);
    channel.pulseMicros(1800);
    assertThat(sysfs.read(1, "duty_cycle")).isEqualTo(1_800_000);
    channel.duty(0.25);
    assertThat(sysfs.read(1, "duty_cycle")).isEqualTo(5_000_000);
  }

  @Test
  void attributeFilesThatComeAfterTheDirectoryAreAwaited() throws Exception {
    FakeSysfs sysfs = new FakeSysfs(root, 0, 2);
    Thread kernel = sysfs.kernel(150);

    new SysfsPwm(root, 0).open(1, 20_000_000, 1_500_000);
    kernel.interrupt();

    assertThat(sysfs.read(1, "period")).isEqualTo(20_000_000);
    assertThat(sysfs.read(1, "duty_cycle")).isEqualTo(1_500_000);
    assertThat(sysfs.read(1, "enable")).isEqualTo(1);
  }

  @Test
  void anExportedChannelIsReusedWithoutExportingAgain() throws Exception {
    FakeSysfs sysfs = new FakeSysfs(root, 0, 2);
    sysfs.createChannel(0);

    new SysfsPwm(root, 0).open(0, 20_000_000, 1_500_000);

    assertThat(Files.readString(sysfs.chip.resolve("export"))).isEmpty();
    assertThat(sysfs.read(0, "duty_cycle")).isEqualTo(1_500_000);
  }

  @Test
  void dutyNeverExceedsThePeriod() throws Exception {
    FakeSysfs sysfs = new FakeSysfs(root, 0, 2);
    sysfs.createChannel(0);
    PwmChannel channel = new SysfsPwm(root, 0).open(0, 20_000_000, 0);

    channel.highNanos(90_000_000);

    assertThat(sysfs.read(0, "duty_cycle")).isEqualTo(20_000_000);
  }

  @Test
  void missingChipSaysWhatToEnable() {
    assertThatThrownBy(() -> new SysfsPwm(root, 0))
        .hasMessageContaining("pwmchip0 does not exist")
        .hasMessageContaining("dtoverlay=pwm-2chan");
  }

  @Test
  void exportThatNeverAppearsIsAnError() throws Exception {
    new FakeSysfs(root, 0, 2); // no kernel thread: the directory never comes

    assertThatThrownBy(() -> new SysfsPwm(root, 0).open(0, 20_000_000, 0))
        .hasMessageContaining("did not appear after export");
  }

  @Test
  void npwmIsRead() throws Exception {
    new FakeSysfs(root, 2, 4);

    assertThat(new SysfsPwm(root, 2).channels()).isEqualTo(4);
  }
}
