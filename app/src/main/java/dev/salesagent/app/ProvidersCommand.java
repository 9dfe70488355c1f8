package dev.salesagent.app;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "providers", description = "(being built)")
final class ProvidersCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("providers: not built yet");
    return Main.EXIT_USAGE;
  }
}
