package dev.salesagent.app;

import dev.salesagent.compat.ConfigImport;
import dev.salesagent.compat.ImportException;
import dev.salesagent.compat.ImportResult;
import dev.salesagent.router.config.ConfigException;
import dev.salesagent.router.config.RouterConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sales-agent config import --from litellm|portkey FILE [--check]}: bring another gateway's configuration over. */
@Command(name = "config", mixinStandardHelpOptions = true, description = "Work with router configuration files.",
    subcommands = {ConfigCommand.Import.class})
final class ConfigCommand implements Runnable {
  @Override
  public void run() {
    new picocli.CommandLine(this).usage(System.err);
  }

  @Command(name = "import", mixinStandardHelpOptions = true,
      description = {"Print our configuration for a LiteLLM proxy config.yaml or a Portkey gateway config.",
          "Keys that do not map are listed in a comment at the top with what to do. The output is checked with",
          "the router's own loader before it is printed. Exit codes: 0 ok, 2 the file cannot be imported."})
  static final class Import implements Callable<Integer> {
    @Option(names = "--from", required = true, paramLabel = "litellm|portkey", description = "the gateway the file is for")
    String from;

    @Parameters(index = "0", paramLabel = "FILE", description = "LiteLLM config.yaml, or a Portkey config (JSON or YAML)")
    Path file;

    @Option(names = "--check", description = "only check that FILE imports and loads; print nothing on stdout")
    boolean check;

    @Override
    public Integer call() {
      PrintStream out = RouterBoot.utf8Out();
      PrintStream err = RouterBoot.utf8Err();
      try {
        ConfigImport.From source = ConfigImport.From.parse(from);
        String text = Files.readString(file, StandardCharsets.UTF_8);
        ImportResult r = ConfigImport.convert(source, text, file.toString());
        RouterConfig loaded = r.load(System.getenv());
        if (check) {
          err.println("config import: " + file + " imports and loads: " + r.tasks().size() + " task(s), "
              + loaded.providers().size() + " provider(s); " + r.notes().size() + " note(s) to read"
              + (r.notes().isEmpty() ? "" : " (run without --check to see them)"));
        } else {
          out.print(r.yaml());
          out.flush();
        }
        return Main.EXIT_OK;
      } catch (NoSuchFileException e) {
        err.println("config import: no such file: " + file);
      } catch (IOException e) {
        err.println("config import: cannot read " + file + ": " + e.getMessage());
      } catch (ImportException e) {
        err.println("config import: " + e.getMessage());
      } catch (ConfigException e) {
        // The importer wrote something our loader refuses: say so plainly rather than print a file that will not load.
        err.println("config import: the converted configuration does not load: " + e.getMessage());
      } catch (RuntimeException e) {
        err.println("config import: cannot import " + file + ": " + e);
      }
      return Main.EXIT_USAGE;
    }
  }
}
