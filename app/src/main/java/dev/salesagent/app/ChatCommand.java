package dev.salesagent.app;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "chat", description = "(being built)")
final class ChatCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("chat: not built yet");
    return Main.EXIT_USAGE;
  }
}
