package io.blnk.auth;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * What a {@link KeyService} call came to: {@link Done} with its value, or {@link Refused} with the
 * error code and message the caller is answered with. Every expected refusal (an unknown key,
 * another owner's key, a missing owner, an invalid field, an owner at its key limit, a scope the
 * caller does not hold, a key that kept changing) is a {@code Refused}; nothing is thrown for it.
 *
 * <p>Handle both cases with a switch over the sealed type, or, where a refusal should end the
 * program anyway (a script, a command-line tool, a test fixture), call {@link #orElseThrow()}:
 *
 * <pre>{@code
 * KeyOutcome<CreatedKey> created = auth.keys().create(BlnkPrincipal.master(), request);
 * if (created instanceof KeyOutcome.Refused<CreatedKey> refused) {
 *   return badRequest(refused.code(), refused.message());
 * }
 * CreatedKey key = created.orElseThrow();
 * }</pre>
 *
 * <p>Immutable and thread-safe when the value is.
 *
 * @param <T> the value of a call that was done
 */
public sealed interface KeyOutcome<T> permits KeyOutcome.Done, KeyOutcome.Refused {

  /**
   * A call that was done.
   *
   * @param value what it returned
   * @param <T> the value's type
   * @return {@code new Done<>(value)}
   * @throws NullPointerException if {@code value} is null
   */
  static <T> KeyOutcome<T> done(T value) {
    return new Done<>(value);
  }

  /**
   * A call refused with a message and no advice on when to retry.
   *
   * @param code why, which also gives the HTTP status
   * @param message the message for the caller, naming the field and value where one is at fault
   * @param <T> the value's type had the call been done
   * @return {@code new Refused<>(code, message, Optional.empty())}
   * @throws NullPointerException if an argument is null
   */
  static <T> KeyOutcome<T> refused(ErrorCode code, String message) {
    return new Refused<>(code, message, Optional.empty());
  }

  /**
   * Whether the call was done.
   *
   * @return true for {@link Done}, false for {@link Refused}
   */
  boolean isDone();

  /**
   * The value of a call that was done; for a refused one, throws.
   *
   * @return the value
   * @throws KeyServiceException with the refusal's code and message, if the call was refused
   */
  T orElseThrow();

  /**
   * The outcome with a done call's value transformed; a refusal is kept as it is.
   *
   * @param mapper turns the value into another; called only for {@link Done}
   * @param <U> the new value's type
   * @return {@code Done} with the mapped value, or the same refusal retyped
   * @throws NullPointerException if {@code mapper} is null, or returns null
   */
  <U> KeyOutcome<U> map(Function<? super T, ? extends U> mapper);

  /**
   * The refusal, if the call was refused.
   *
   * @return the refusal; empty for {@link Done}
   */
  Optional<Refused<T>> refusal();

  /**
   * The call was done.
   *
   * @param value what it returned
   * @param <T> the value's type
   */
  record Done<T>(T value) implements KeyOutcome<T> {
    /**
     * Checks the value is present.
     *
     * @param value what the call returned
     * @throws NullPointerException if {@code value} is null
     */
    public Done {
      Objects.requireNonNull(value, "value");
    }

    /**
     * Always true.
     *
     * @return true
     */
    @Override
    public boolean isDone() {
      return true;
    }

    /**
     * The value.
     *
     * @return {@link #value()}
     */
    @Override
    public T orElseThrow() {
      return value;
    }

    /**
     * {@code Done} with the mapped value.
     *
     * @param mapper turns the value into another
     * @param <U> the new value's type
     * @return {@code new Done<>(mapper.apply(value))}
     * @throws NullPointerException if {@code mapper} is null, or returns null
     */
    @Override
    public <U> KeyOutcome<U> map(Function<? super T, ? extends U> mapper) {
      Objects.requireNonNull(mapper, "mapper");
      return new Done<>(mapper.apply(value));
    }

    /**
     * Always empty.
     *
     * @return empty
     */
    @Override
    public Optional<Refused<T>> refusal() {
      return Optional.empty();
    }
  }

  /**
   * The call was refused, and changed nothing.
   *
   * @param code why, which also gives the HTTP status ({@link ErrorCode#httpStatus()})
   * @param message the message for the caller, safe to show (never a secret), naming the field and
   *     value where one is at fault
   * @param retryAfter how long to wait before the same call may succeed, when the service advises
   *     a wait (it does when too many keys are being hashed at once, {@link
   *     ErrorCode#GEN_RATE_LIMITED}); empty otherwise
   * @param <T> the value's type had the call been done
   */
  record Refused<T>(ErrorCode code, String message, Optional<Duration> retryAfter)
      implements KeyOutcome<T> {
    /**
     * Checks every part is present and the wait is not negative.
     *
     * @param code why
     * @param message the message for the caller
     * @param retryAfter the advised wait, or empty
     * @throws NullPointerException if a part is null
     * @throws IllegalArgumentException if {@code retryAfter} holds a negative duration
     */
    public Refused {
      Objects.requireNonNull(code, "code");
      Objects.requireNonNull(message, "message");
      Objects.requireNonNull(retryAfter, "retryAfter");
      if (retryAfter.isPresent() && retryAfter.get().isNegative()) {
        throw new IllegalArgumentException("retryAfter must not be negative: " + retryAfter.get());
      }
    }

    /**
     * A refusal with no advice on when to retry.
     *
     * @param code why
     * @param message the message for the caller
     * @throws NullPointerException if an argument is null
     */
    public Refused(ErrorCode code, String message) {
      this(code, message, Optional.empty());
    }

    /**
     * Always false.
     *
     * @return false
     */
    @Override
    public boolean isDone() {
      return false;
    }

    /**
     * Throws this refusal as an exception.
     *
     * @return never
     * @throws KeyServiceException always, with {@link #code()} and {@link #message()}
     */
    @Override
    public T orElseThrow() {
      throw new KeyServiceException(code, message);
    }

    /**
     * This refusal, retyped.
     *
     * @param mapper not called
     * @param <U> the new value's type
     * @return a refusal with the same code, message and wait
     * @throws NullPointerException if {@code mapper} is null
     */
    @Override
    public <U> KeyOutcome<U> map(Function<? super T, ? extends U> mapper) {
      Objects.requireNonNull(mapper, "mapper");
      return retype();
    }

    /**
     * This refusal.
     *
     * @return this, present
     */
    @Override
    public Optional<Refused<T>> refusal() {
      return Optional.of(this);
    }

    /**
     * The same refusal as the outcome of a call with another value type, for passing a refusal
     * on.
     *
     * @param <U> the other value type
     * @return a refusal with the same code, message and wait
     */
    public <U> Refused<U> retype() {
      return new Refused<>(code, message, retryAfter);
    }
  }
}
