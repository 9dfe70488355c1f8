package dev.salesagent.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

class CompilerDirectivesTest {
  @Test
  void theBundledDirectivesParseAndReachTheJvm() throws Exception {
    assertThat(CompilerDirectives.apply()).as("null means added").isNull();
    Object printed = ManagementFactory.getPlatformMBeanServer().invoke(
        new ObjectName("com.sun.management:type=DiagnosticCommand"), "compilerDirectivesPrint",
        new Object[] {new String[] {}}, new String[] {String[].class.getName()});
    // the JVM prints each directive it holds: ours keep H2's chunk writer and the warm-up's emulators out of C2
    assertThat(printed.toString()).contains("matching: org/h2/mvstore/FileStore.serializeAndStore")
        .contains("matching: dev/salesagent/emulator/*.*")
        .containsPattern("c2 directives:[\\s\\S]*Exclude:true");
  }
}
