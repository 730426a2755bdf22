package dev.portunus.events;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One operator-facing log line: {@code event=<name> key=value ...}. Events are the contract that
 * operators and tests grep for, so they are written straight to stderr in a fixed shape instead of
 * going through a logging format that configuration could change.
 */
public final class Event {

    public enum Level { INFO, WARN, ERROR }

    private static volatile boolean json = false;

    private final EventName name;
    private final Map<String, Object> fields = new LinkedHashMap<>();

    private Event(EventName name) {
        this.name = name;
    }

    /** An event of the catalogue; names are never built at run time (see {@link EventName}). */
    public static Event of(EventName name) {
        return new Event(name);
    }

    /**
     * Switches every later event to one JSON object per line ({@code log_format = "json"}); Quarkus'
     * own log lines switch to JSON through quarkus-logging-json at the same time (see LaunchSource).
     */
    public static void useJson(boolean enabled) {
        json = enabled;
    }

    public Event with(String key, Object value) {
        fields.put(key, value);
        return this;
    }

    /** What the operator should do about it: every refusal carries one. */
    public Event hint(String text) {
        return with("hint", text);
    }

    public EventName name() {
        return name;
    }

    public Object field(String key) {
        return fields.get(key);
    }

    public void emit(Level level) {
        System.err.println(render(level));
        System.err.flush();
    }

    public void info() {
        emit(Level.INFO);
    }

    public void warn() {
        emit(Level.WARN);
    }

    public void error() {
        emit(Level.ERROR);
    }

    String render(Level level) {
        String ts = Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
        StringBuilder out = new StringBuilder(128);
        if (json) {
            // The keys Quarkus' JSON log lines use, so that one stream has one shape; fields follow.
            out.append("{\"timestamp\":").append(jsonString(ts))
                    .append(",\"level\":").append(jsonString(level.name()))
                    .append(",\"loggerName\":\"portunus.event\"")
                    .append(",\"message\":").append(jsonString(name.id()))
                    .append(",\"event\":").append(jsonString(name.id()));
            fields.forEach((k, v) -> out.append(',').append(jsonString(k)).append(':')
                    .append(v instanceof Number || v instanceof Boolean ? v.toString() : jsonString(String.valueOf(v))));
            return out.append('}').toString();
        }
        out.append(ts).append(' ').append(level.name()).append(" event=").append(name.id());
        fields.forEach((k, v) -> out.append(' ').append(k).append('=').append(textValue(v)));
        return out.toString();
    }

    private static String textValue(Object value) {
        String s = String.valueOf(value);
        boolean plain = !s.isEmpty() && s.chars().noneMatch(c -> c == ' ' || c == '"' || c == '=' || c < 0x20);
        return plain ? s : jsonString(s);
    }

    private static String jsonString(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
