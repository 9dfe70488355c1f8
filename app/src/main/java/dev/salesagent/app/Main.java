package dev.salesagent.app;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code sales-agent} command line. Exit codes: 0 ok, 2 usage error (also a problem with the environment: a
 * database that cannot be opened, a missing provider key), 3 upstream failure, 4 budget exceeded, 130 stopped (Ctrl-C /
 * SIGTERM). No command prints a stack trace: an unexpected failure is one line on stderr.
 */
@Command(
    name = "sales-agent",
    mixinStandardHelpOptions = true,
    version = "sales-agent 0.1.0",
    description = "LLM-routed sales automation: qualify, research, draft outreach, parse contacts.",
    subcommands = {
      ChatCommand.class,
      ServeCommand.class,
      RunCommand.class,
      DemoCommand.class,
      EmulateCommand.class,
      ProvidersCommand.class,
      KeysCommand.class,
      DraftsCommand.class,
      LeadsCommand.class,
      SuppressCommand.class,
      SendCommand.class,
      RepliesCommand.class,
      OutcomesCommand.class,
      ConfigCommand.class,
      CrmCommand.class
    })
public final class Main implements Runnable {
  public static final int EXIT_OK = 0;
  public static final int EXIT_USAGE = 2;
  public static final int EXIT_UPSTREAM = 3;
  public static final int EXIT_BUDGET = 4;

  public static void main(String[] args) {
    NettyAllocator.preferPooled();
    System.exit(execute(args));
  }

  /** Runs the CLI without exiting the JVM (tests call this). */
  public static int execute(String... args) {
    CommandLine cl = new CommandLine(new Main());
    cl.setExitCodeExceptionMapper(t -> EXIT_USAGE);
    cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
      cmd.getErr().println(cmd.getCommandSpec().qualifiedName() + ": " + Failures.describe(e));
      return EXIT_USAGE;
    });
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    return cl.execute(args);
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }
}
