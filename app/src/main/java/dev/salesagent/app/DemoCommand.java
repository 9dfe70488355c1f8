package dev.salesagent.app;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "demo", description = "(being built)")
final class DemoCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("demo: not built yet");
    return Main.EXIT_USAGE;
  }
}
