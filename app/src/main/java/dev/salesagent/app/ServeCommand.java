package dev.salesagent.app;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "serve", description = "(being built)")
final class ServeCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("serve: not built yet");
    return Main.EXIT_USAGE;
  }
}
