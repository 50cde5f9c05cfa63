package dev.onboard.gateway.supervisor;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Daemon threads named {@code onboard-<role>-<n>}, so a thread dump says who owns each. */
final class NamedThreads implements ThreadFactory {

  private final String prefix;
  private final AtomicInteger count = new AtomicInteger();

  NamedThreads(String role) {
    this.prefix = "onboard-" + role + "-";
  }

  @Override
  public Thread newThread(Runnable r) {
    Thread t = new Thread(r, prefix + count.incrementAndGet());
    t.setDaemon(true);
    return t;
  }
}
