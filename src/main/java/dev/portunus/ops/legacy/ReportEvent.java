package dev.portunus.ops.legacy;

import dev.portunus.events.Event;
import dev.portunus.events.EventName;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One line of the import report (05-legacy.md §7.6) as data: an event name, the level it should be
 * printed at and its fields in print order. The command prints it through {@link Event}.
 *
 * <p>No field can carry a token hash: any run of 64 or more hex digits in a text value is replaced by
 * {@value #REDACTED}. Values come from ids in the files, and a hand-edited file may hold a hash
 * where an id belongs; the report must not copy it (§7.6 "Hashes, tokens and labels never go into
 * these lines").
 */
public record ReportEvent(EventName event, Event.Level level, List<Field> fields) {

    /** What stands in a field where a run of 64 or more hex digits was. */
    public static final String REDACTED = "[redacted]";

    private static final Pattern HEX_RUN = Pattern.compile("[0-9a-fA-F]{64,}");

    /** One {@code key=value} pair; the value is a {@link String} or an {@link Integer}. */
    public record Field(String key, Object value) {

        public Field {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
            if (value instanceof String text) {
                value = HEX_RUN.matcher(text).replaceAll(REDACTED);
            }
        }
    }

    public ReportEvent {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(level, "level");
        fields = List.copyOf(fields);
    }

    /** Builds the fields from key/value pairs, leaving out the pairs whose value is null. */
    static ReportEvent of(EventName event, Event.Level level, Object... keysAndValues) {
        List<Field> fields = new ArrayList<>(keysAndValues.length / 2);
        for (int i = 0; i < keysAndValues.length; i += 2) {
            if (keysAndValues[i + 1] != null) {
                fields.add(new Field((String) keysAndValues[i], keysAndValues[i + 1]));
            }
        }
        return new ReportEvent(event, level, fields);
    }

    /** The event's name as printed, e.g. {@code import.record_skipped}. */
    public String name() {
        return event.id();
    }

    ReportEvent plus(List<Field> more) {
        List<Field> all = new ArrayList<>(fields);
        all.addAll(more);
        return new ReportEvent(event, level, all);
    }

    /** The value of the first field named {@code key}, or null. */
    public Object get(String key) {
        for (Field f : fields) {
            if (f.key().equals(key)) {
                return f.value();
            }
        }
        return null;
    }

    /** The event ready to print: {@code toEvent().emit(level())}. */
    public Event toEvent() {
        Event line = Event.of(event);
        fields.forEach(f -> line.with(f.key(), f.value()));
        return line;
    }

    /** {@code event=<name> key=value ...} without quoting, for tests and debugging. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder("event=").append(event.id());
        fields.forEach(f -> out.append(' ').append(f.key()).append('=').append(f.value()));
        return out.toString();
    }
}
