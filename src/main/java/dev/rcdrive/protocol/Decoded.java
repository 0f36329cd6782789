package dev.rcdrive.protocol;

import java.util.Objects;
import java.util.function.Function;

/**
 * The outcome of decoding bytes or text from the wire: a value, or the reason it was rejected.
 * Decoders return this instead of throwing, so a bad frame is dropped and counted, never fatal.
 */
public sealed interface Decoded<T> {

  static <T> Decoded<T> ok(T value) {
    return new Ok<>(value);
  }

  static <T> Decoded<T> rejected(String reason) {
    return new Rejected<>(reason);
  }

  /** The decoded value. */
  record Ok<T>(T value) implements Decoded<T> {
    public Ok {
      Objects.requireNonNull(value, "value");
    }
  }

  /** Why the input was refused, in words fit for a log line or an error message. */
  record Rejected<T>(String reason) implements Decoded<T> {
    public Rejected {
      Objects.requireNonNull(reason, "reason");
    }
  }

  default boolean isOk() {
    return this instanceof Ok;
  }

  /** The value; throws {@link IllegalStateException} with the reason when rejected. */
  default T orElseThrow() {
    if (this instanceof Ok<T> ok) {
      return ok.value();
    }
    throw new IllegalStateException(((Rejected<T>) this).reason());
  }

  /** The reason, or {@code null} when decoding succeeded. */
  default String reasonOrNull() {
    return this instanceof Rejected<T> rejected ? rejected.reason() : null;
  }

  default <R> Decoded<R> map(Function<? super T, ? extends R> mapper) {
    if (this instanceof Ok<T> ok) {
      return new Ok<>(mapper.apply(ok.value()));
    }
    return new Rejected<>(((Rejected<T>) this).reason());
  }
}
