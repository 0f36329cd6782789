package dev.rcdrive.signaling;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.util.List;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

/**
 * The classes that hold the signaling rules know no transport, no threads and no clock of their
 * own: that is what lets {@link HubTest}, {@link AdmissionTest} and {@link LoginBudgetTest} run
 * them as tables. Checked on the compiled classes, so a socket or a {@code System.nanoTime()} that
 * creeps in fails here.
 */
class SignalingRulesArePureTest {

  private static final List<String> RULES =
      List.of("Hub", "Outbox", "Admission", "LoginBudget", "RateLimiter", "Heartbeat");

  private static final JavaClasses SIGNALING =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.rcdrive.signaling");

  /** No transport, threads or real time in the classes named (and their nested classes). */
  static ArchRule pure(List<String> simpleNames) {
    String names = String.join("|", simpleNames);
    return noClasses()
        .that()
        .haveNameMatching("dev\\.rcdrive\\.signaling\\.(" + names + ")(\\$.*)?")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.java_websocket..", "java.nio.channels..", "javax.net..")
        .orShould()
        .dependOnClassesThat()
        .areAssignableTo(Thread.class)
        .orShould()
        .dependOnClassesThat()
        .areAssignableTo(Executor.class)
        .orShould()
        .callMethod(System.class, "nanoTime")
        .orShould()
        .callMethod(System.class, "currentTimeMillis")
        .allowEmptyShould(false)
        .as("the signaling rules (" + names + ") know no transport, threads or real time");
  }

  @Test
  void hubAdmissionAndTheirPartsKnowNoTransportThreadsOrRealTime() {
    pure(RULES).check(SIGNALING);
  }

  @Test
  void theRuleCatchesTheTransport() {
    assertThat(pure(List.of("SignalingServer")).evaluate(SIGNALING).hasViolation()).isTrue();
    assertThat(pure(List.of("Scheduler")).evaluate(SIGNALING).hasViolation()).isTrue();
  }
}
