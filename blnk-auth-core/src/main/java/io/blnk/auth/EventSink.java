package io.blnk.auth;

import com.github.benmanes.caffeine.cache.Ticker;
import io.blnk.auth.key.ApiKeyId;
import io.blnk.auth.key.OwnerId;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds events only for types the listener wants, keeps listener failures away from callers, and
 * aggregates refusals so that a flood cannot fill a log or an audit table.
 *
 * <p>Refusals ({@code AUTH_FAILED}, {@code PERMISSION_DENIED}) are counted per type, code and
 * remote address in windows of {@code interval}: the first of a window is delivered at once; the
 * repeats are delivered as one event with their count when the window has ended (at the next
 * refusal of that kind, at the next {@link #flushEnded()} or at {@link #flushAll()}). A source that
 * keeps refusing gets one line per interval; one that refuses now and then gets each refusal at
 * once. At most {@value #MAX_SOURCES} sources are tracked per type and code; further ones share
 * one window under the address {@value #OTHER_SOURCES}. An interval of zero turns aggregation off.
 *
 * <p>Thread-safe; the counting path takes no lock and allocates nothing for a repeat.
 */
final class EventSink {

  private static final Logger LOG = LoggerFactory.getLogger(EventSink.class);

  /** The most sources tracked per type and code. */
  static final int MAX_SOURCES = 1024;
  /** The address under which sources beyond {@link #MAX_SOURCES} are counted. */
  static final String OTHER_SOURCES = "(other)";

  private final AuthListener listener;
  private final InstantSource clock;
  private final Ticker ticker;
  private final long intervalNanos;
  private final Duration interval;
  private final boolean[] wanted = new boolean[AuthEvent.Type.values().length];
  /** [type][code] → remote address → open window; null where nothing is aggregated. */
  private final Map<String, Window>[][] windows;

  /** One aggregation window: when it opened and how many refusals it held back. */
  private static final class Window {
    final long start;
    final AtomicLong held = new AtomicLong();

    Window(long start) {
      this.start = start;
    }
  }

  @SuppressWarnings("unchecked")
  EventSink(AuthListener listener, InstantSource clock, Ticker ticker, Duration interval) {
    this.listener = listener;
    this.clock = clock;
    this.ticker = ticker;
    this.interval = interval;
    this.intervalNanos = interval.toNanos();
    for (AuthEvent.Type type : AuthEvent.Type.values()) {
      wanted[type.ordinal()] = listener.wants(type);
    }
    this.windows = new Map[AuthEvent.Type.values().length][];
    if (intervalNanos > 0) {
      for (AuthEvent.Type type : new AuthEvent.Type[] {AuthEvent.Type.AUTH_FAILED, AuthEvent.Type.PERMISSION_DENIED}) {
        Map<String, Window>[] byCode = new Map[ErrorCode.values().length];
        for (int i = 0; i < byCode.length; i++) {
          byCode[i] = new ConcurrentHashMap<>();
        }
        windows[type.ordinal()] = byCode;
      }
    }
  }

  boolean wants(AuthEvent.Type type) {
    return wanted[type.ordinal()];
  }

  void emit(
      AuthEvent.Type type,
      Optional<ApiKeyId> id,
      Optional<OwnerId> owner,
      ErrorCode code,
      String keyHint,
      String remote,
      String detail) {
    if (!wanted[type.ordinal()]) {
      return;
    }
    String source = remote == null ? "" : remote;
    Map<String, Window>[] byCode = windows[type.ordinal()];
    if (byCode != null && code != null && !admit(type, code, byCode[code.ordinal()], source)) {
      return;
    }
    deliver(
        new AuthEvent(type, clock.instant(), id, owner, Optional.ofNullable(code), keyHint, source, detail, 1));
  }

  /** Whether this refusal is delivered now (the first of its window); otherwise it is counted. */
  private boolean admit(AuthEvent.Type type, ErrorCode code, Map<String, Window> open, String source) {
    long now = ticker.read();
    Window w = open.get(source);
    if (w == null) {
      if (open.size() >= MAX_SOURCES) {
        source = OTHER_SOURCES;
        w = open.get(source);
      }
      if (w == null) {
        w = open.putIfAbsent(source, new Window(now));
        if (w == null) {
          return true;
        }
      }
    }
    if (now - w.start < intervalNanos) {
      w.held.incrementAndGet();
      return false;
    }
    // The window has ended: report what it held back and open the next one.
    Window next = new Window(now);
    if (!open.replace(source, w, next)) {
      Window current = open.get(source);
      if (current != null) {
        current.held.incrementAndGet();
        return false;
      }
      return open.putIfAbsent(source, next) == null;
    }
    long held = w.held.get();
    if (held == 0) {
      return true; // a quiet source: this refusal is shown as itself
    }
    summarise(type, code, source, held);
    next.held.incrementAndGet(); // a busy source: this one is reported with the next window
    return false;
  }

  /** Delivers the held-back counts of windows that have ended, and forgets those windows. */
  void flushEnded() {
    flush(false);
  }

  /** Delivers every held-back count now, whether or not its window has ended. */
  void flushAll() {
    flush(true);
  }

  private void flush(boolean all) {
    long now = ticker.read();
    for (AuthEvent.Type type : AuthEvent.Type.values()) {
      Map<String, Window>[] byCode = windows[type.ordinal()];
      if (byCode == null) {
        continue;
      }
      for (ErrorCode code : ErrorCode.values()) {
        Map<String, Window> open = byCode[code.ordinal()];
        for (Map.Entry<String, Window> e : open.entrySet()) {
          Window w = e.getValue();
          if ((all || now - w.start >= intervalNanos) && open.remove(e.getKey(), w)) {
            long held = w.held.get();
            if (held > 0) {
              summarise(type, code, e.getKey(), held);
            }
          }
        }
      }
    }
  }

  private void summarise(AuthEvent.Type type, ErrorCode code, String source, long held) {
    deliver(
        new AuthEvent(
            type,
            clock.instant(),
            Optional.empty(),
            Optional.empty(),
            Optional.of(code),
            "",
            source,
            "repeated " + held + " times in " + interval,
            held));
  }

  private void deliver(AuthEvent event) {
    try {
      listener.onEvent(event);
    } catch (RuntimeException e) {
      LOG.warn("AuthListener failed on {}; the decision stands", event.type(), e);
    }
  }

  void keyEvent(AuthEvent.Type type, BlnkPrincipal caller, ApiKeyId id, OwnerId owner, String detail) {
    keyEvent(type, caller.isMaster() ? "master" : caller.getName(), id, owner, detail);
  }

  /** A key event caused by {@code by}: a key id, {@code master}, or a named actor such as a leak report. */
  void keyEvent(AuthEvent.Type type, String by, ApiKeyId id, OwnerId owner, String detail) {
    String who = "by=" + by;
    emit(type, Optional.of(id), Optional.of(owner), null, "", "", detail.isEmpty() ? who : detail + " " + who);
  }
}
