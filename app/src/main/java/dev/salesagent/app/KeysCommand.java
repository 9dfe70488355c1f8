package dev.salesagent.app;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "keys", description = "(being built)")
final class KeysCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("keys: not built yet");
    return Main.EXIT_USAGE;
  }
}
