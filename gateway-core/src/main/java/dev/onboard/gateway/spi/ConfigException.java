package dev.onboard.gateway.spi;

/**
 * A configuration error, told as one line a person can act on: which file, which key, what is wrong
 * and how to fix it.
 */
public final class ConfigException extends Exception {

  private final String file;
  private final String key;
  private final String problem;
  private final String fix;

  public ConfigException(String file, String key, String problem, String fix) {
    super(file + ": " + key + ": " + problem + (fix.isEmpty() ? "" : ". Fix: " + fix));
    this.file = file;
    this.key = key;
    this.problem = problem;
    this.fix = fix;
  }

  public String file() {
    return file;
  }

  /** The key's full path in the file, e.g. {@code sources[0].endpoint}. */
  public String key() {
    return key;
  }

  public String problem() {
    return problem;
  }

  public String fix() {
    return fix;
  }
}
