package dev.portunus.ops.legacy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portunus.ops.legacy.ImportPlan.Notice;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The records of one kind on their way through the phases of 05-legacy.md §7.3. Phases 1 (not an
 * object) and 2 (duplicates) run when the section is made; the kind's planner then runs the field,
 * reference and uniqueness phases, and {@link #report} turns the outcome into notices.
 *
 * <p>A record's warnings are held back until it is known to be imported: a skipped record reports
 * only its skip.
 *
 * @param <T> what the kind's field checks make of a record
 */
final class Section<T> {

    /** One record: its position, its JSON, its id as text (null when it has none) and its fate. */
    static final class Entry<T> {

        final int index;
        final JsonNode node;
        final String key;
        T value;
        private SkipReason skip;
        private boolean collapsed;
        private final List<ImportPlan.Warning> warnings = new ArrayList<>(0);
        private final RecordKind kind;

        private Entry(RecordKind kind, int index, JsonNode node, String key) {
            this.kind = kind;
            this.index = index;
            this.node = node;
            this.key = key;
        }

        /** Neither skipped nor collapsed onto an identical earlier copy. */
        boolean alive() {
            return skip == null && !collapsed;
        }

        void warn(WarningCode code, ReportEvent.Field... details) {
            warnings.add(new ImportPlan.Warning(kind.file().fileName(), kind, index, key, code, List.of(details)));
        }

        void skip(SkipReason reason) {
            skip = reason;
        }
    }

    private final RecordKind kind;
    private final List<Entry<T>> entries;
    private final Map<String, Entry<T>> firstByKey = new HashMap<>();

    /**
     * @param records the JSON array of the records (null when the file or the array is absent)
     * @param keyOf   the duplicate key of an object record (§7.3 phase 2), or null when it has none
     */
    Section(RecordKind kind, JsonNode records, Function<JsonNode, String> keyOf) {
        this.kind = kind;
        int size = records == null ? 0 : records.size();
        this.entries = new ArrayList<>(size);
        Map<String, List<Entry<T>>> copies = new LinkedHashMap<>();
        for (int i = 0; i < size; i++) {
            JsonNode node = records.get(i);
            String key = node.isObject() ? keyOf.apply(node) : null;
            Entry<T> e = new Entry<>(kind, i, node, key);
            entries.add(e);
            if (!node.isObject()) {
                e.skip(SkipReason.INVALID_RECORD);
            } else if (key != null) {
                copies.computeIfAbsent(key, k -> new ArrayList<>(1)).add(e);
                firstByKey.putIfAbsent(key, e);
            }
        }
        copies.values().stream().filter(group -> group.size() > 1).forEach(Section::settleDuplicates);
    }

    /** Identical copies collapse onto the first; if any copy differs, no one can tell which is right. */
    private static <T> void settleDuplicates(List<Entry<T>> group) {
        Entry<T> first = group.get(0);
        boolean identical = group.stream().allMatch(e -> e.node.equals(first.node));
        for (Entry<T> e : group) {
            if (!identical) {
                e.skip(SkipReason.DUPLICATE_ID);
            } else if (e != first) {
                e.collapsed = true;
                e.warn(WarningCode.DUPLICATE_IDENTICAL);
            }
        }
    }

    /** The records still in, in index order. */
    List<Entry<T>> alive() {
        List<Entry<T>> out = new ArrayList<>(entries.size());
        for (Entry<T> e : entries) {
            if (e.alive()) {
                out.add(e);
            }
        }
        return out;
    }

    /** Runs {@code check} on every record still in; a {@link SkipRecord} skips that record. */
    void each(Consumer<Entry<T>> check) {
        for (Entry<T> e : alive()) {
            try {
                check.accept(e);
            } catch (SkipRecord s) {
                e.skip(s.reason);
            }
        }
    }

    /** Phase 3: makes each record's value, or skips it. */
    void parse(Function<Entry<T>, T> fields) {
        each(e -> e.value = fields.apply(e));
    }

    /** Phase 5: every record still in whose {@code hash} another record still in shares is skipped, all copies. */
    void uniqueBy(Function<T, String> hash) {
        Map<String, Integer> seen = new HashMap<>();
        List<Entry<T>> alive = alive();
        alive.forEach(e -> seen.merge(hash.apply(e.value), 1, Integer::sum));
        alive.stream().filter(e -> seen.get(hash.apply(e.value)) > 1).forEach(e -> e.skip(SkipReason.DUPLICATE_TOKEN_HASH));
    }

    /**
     * Phase 4: the record this section holds under {@code key}, for a reference from another kind.
     *
     * @throws SkipRecord {@code unknown} when no record has that id, {@code notImported} when it was skipped
     */
    Entry<T> resolve(String key, SkipReason unknown, SkipReason notImported) {
        Entry<T> e = firstByKey.get(key);
        if (e == null) {
            throw new SkipRecord(unknown);
        }
        if (!e.alive()) {
            throw new SkipRecord(notImported);
        }
        return e;
    }

    /** Appends each record's skip, or its warnings, in index order. */
    void report(List<Notice> out) {
        for (Entry<T> e : entries) {
            if (e.skip != null) {
                out.add(new ImportPlan.Skip(kind.file().fileName(), kind, e.index, e.key, e.skip));
            } else {
                out.addAll(e.warnings);
            }
        }
    }
}
