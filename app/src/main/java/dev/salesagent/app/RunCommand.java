package dev.salesagent.app;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "run", description = "(being built)")
final class RunCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("run: not built yet");
    return Main.EXIT_USAGE;
  }
}
