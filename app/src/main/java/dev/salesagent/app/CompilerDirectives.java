package dev.salesagent.app;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.management.JMException;
import javax.management.ObjectName;

/**
 * Adds the JIT compiler directives bundled with the jar ({@code compiler-directives.json}) to the running JVM, the
 * way {@code jcmd <pid> Compiler.directives_add} would: it works however {@code serve} was launched, with no JVM flag.
 */
final class CompilerDirectives {
  static final String RESOURCE = "compiler-directives.json";

  private CompilerDirectives() {}

  /** Returns {@code null} when the directives were added, else why not (a JVM without the diagnostic command, say). */
  static String apply() {
    try (InputStream in = CompilerDirectives.class.getResourceAsStream(RESOURCE)) {
      if (in == null) return "no " + RESOURCE + " in the jar";
      // The diagnostic command reads a file.
      Path file = Files.createTempFile("sales-agent-compiler-directives", ".json");
      try {
        Files.write(file, in.readAllBytes());
        Object out = ManagementFactory.getPlatformMBeanServer().invoke(
            new ObjectName("com.sun.management:type=DiagnosticCommand"), "compilerDirectivesAdd",
            new Object[] {new String[] {file.toString()}}, new String[] {String[].class.getName()});
        String answer = String.valueOf(out).trim();
        return answer.contains("compiler directives added") ? null : "compiler directives not added: " + answer;
      } finally {
        Files.deleteIfExists(file);
      }
    } catch (IOException | JMException | RuntimeException e) {
      return "compiler directives not added: " + e;
    }
  }
}
