package dev.portunus.traffic;

import dev.portunus.api.ApiException;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The query contract of the traffic history reads (06-traffic.md §1.1), checked in its order before
 * the store is read: 400 {@code invalid_timestamp} (naming the parameter), 400
 * {@code invalid_time_range}, 400 {@code invalid_bucket}, 422 {@code traffic_bucket_out_of_retention},
 * 422 {@code traffic_too_many_rows}. Unknown parameters are ignored.
 */
final class TrafficQuery {

    /** Most buckets one read may span: every window inside the 1m retention (7 d + 1 h = 10 140) fits. */
    static final long MAX_BUCKETS = 10_200;
    /** Slack on the retention check: a browser clock a little ahead must not turn "7d + 1m" into an error. */
    static final long RETENTION_GRACE_SECS = 3_600;
    /** Automatic bucket: spans up to one day read minutes, longer ones hours. */
    static final long AUTO_MINUTES_UP_TO_SECS = 86_400;
    /** The last hour the store's fixed-width text can name (9999-12-31T23:00:00Z); later bounds are clamped to it. */
    static final long LAST_HOUR = 253_402_297_200L;

    private static final Pattern INT64 = Pattern.compile("-?[0-9]{1,19}");

    private TrafficQuery() {
    }

    /** A checked window: {@code [from, to)} in Unix seconds and the bucket it is read in. */
    record Window(String bucket, long from, long to) {

        boolean hourly() {
            return bucket.equals("1h");
        }
    }

    static Window parse(Map<String, List<String>> query, long nowSecs, long retention1mSecs, long retention1hSecs) {
        long from = timestamp(query, "from");
        long to = timestamp(query, "to");
        if (from < 0 || to <= from) {
            throw ApiException.badRequest("invalid_time_range", "need 0 <= from < to (Unix seconds), got from=" + from + " to=" + to);
        }
        List<String> buckets = query.get("bucket");
        String bucket;
        if (buckets == null) {
            bucket = to - from <= AUTO_MINUTES_UP_TO_SECS ? "1m" : "1h";
        } else if (buckets.size() == 1 && (buckets.get(0).equals("1m") || buckets.get(0).equals("1h"))) {
            bucket = buckets.get(0);
        } else {
            throw ApiException.badRequest("invalid_bucket", "bucket must be 1m or 1h (or absent for automatic)");
        }
        boolean hourly = bucket.equals("1h");
        long retention = hourly ? retention1hSecs : retention1mSecs;
        if (from < nowSecs - retention - RETENTION_GRACE_SECS) {
            throw ApiException.invalid("traffic_bucket_out_of_retention", bucket + " samples are kept for " + retention / 86_400
                    + " days; from lies before that" + (hourly ? "" : " (use bucket=1h for older data)"));
        }
        long seconds = hourly ? 3_600 : 60;
        long span = to - from;
        if (span / seconds + (span % seconds == 0 ? 0 : 1) > MAX_BUCKETS) {
            throw ApiException.invalid("traffic_too_many_rows", "the window spans more than " + MAX_BUCKETS + " " + bucket
                    + " buckets; narrow the range" + (hourly ? "" : " or use bucket=1h"));
        }
        return new Window(bucket, from, to);
    }

    /** The first value of a filter parameter, null when absent or empty. */
    static String filter(Map<String, List<String>> query, String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() || values.get(0).isEmpty() ? null : values.get(0);
    }

    /** The smallest hour start at or after {@code secs}, clamped to {@link #LAST_HOUR}. */
    static long ceilHour(long secs) {
        long clamped = Math.min(secs, LAST_HOUR);
        return clamped % 3_600 == 0 ? clamped : (clamped / 3_600 + 1) * 3_600;
    }

    /** {@code secs} clamped to what the store's text can name. */
    static long clamp(long secs) {
        return Math.min(secs, LAST_HOUR);
    }

    private static long timestamp(Map<String, List<String>> query, String name) {
        List<String> values = query.get(name);
        if (values == null || values.size() != 1 || !INT64.matcher(values.get(0)).matches()) {
            throw ApiException.badRequest("invalid_timestamp", name + " must be given once, as Unix seconds (a base-10 integer)");
        }
        try {
            return Long.parseLong(values.get(0));
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("invalid_timestamp", name + " is beyond the int64 range");
        }
    }
}
