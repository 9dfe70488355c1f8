package dev.salesagent.bench;

/** The benchmarks' {@code --name value} options. */
final class BenchArgs {
  private BenchArgs() {}

  static String string(String[] args, String name, String dflt) {
    for (int i = 0; i + 1 < args.length; i++) if (args[i].equals(name)) return args[i + 1];
    return dflt;
  }

  static int integer(String[] args, String name, int dflt) {
    String v = string(args, name, null);
    return v == null ? dflt : Integer.parseInt(v);
  }
}
