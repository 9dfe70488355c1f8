package dev.salesagent.app;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "emulate", description = "(being built)")
final class EmulateCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("emulate: not built yet");
    return Main.EXIT_USAGE;
  }
}
