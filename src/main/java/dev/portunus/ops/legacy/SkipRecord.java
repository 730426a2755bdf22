package dev.portunus.ops.legacy;

/** Thrown by a record check to skip the record with {@code reason}; carries no stack trace (it is flow, not a fault). */
final class SkipRecord extends RuntimeException {

    final SkipReason reason;

    SkipRecord(SkipReason reason) {
        super(reason.code(), null, false, false);
        this.reason = reason;
    }
}
