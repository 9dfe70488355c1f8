package dev.salesagent.router.routing;

/** One place a request can be sent: a provider and one of its models. Written {@code provider/model}. */
public record Target(String provider, String model) {
  public Target {
    java.util.Objects.requireNonNull(provider, "provider");
    java.util.Objects.requireNonNull(model, "model");
  }

  public static Target parse(String s) {
    int slash = s.indexOf('/');
    if (slash <= 0 || slash == s.length() - 1) {
      throw new IllegalArgumentException("'" + s + "' is not a target: write <provider>/<model>");
    }
    return new Target(s.substring(0, slash), s.substring(slash + 1));
  }

  // written out rather than generated: targets are map keys looked up on every request (the generated, method-handle
  // based ones showed in the gateway's CPU profile)
  @Override
  public boolean equals(Object o) {
    return o instanceof Target t && provider.equals(t.provider) && model.equals(t.model);
  }

  @Override
  public int hashCode() {
    return 31 * provider.hashCode() + model.hashCode();
  }

  @Override
  public String toString() {
    return provider + "/" + model;
  }
}
