.timer on
.output /dev/null
SELECT bucket_start AS b, CAST(total(bytes_in) AS INTEGER), CAST(total(bytes_out) AS INTEGER) FROM traffic_samples_1m WHERE bucket_start >= '2026-11-29T08:11:29.000Z' AND bucket_start < '2026-11-30T08:11:29.000Z' GROUP BY b ORDER BY b;
SELECT bucket_start AS b, CAST(total(bytes_in) AS INTEGER), CAST(total(bytes_out) AS INTEGER) FROM traffic_samples_1m WHERE bucket_start >= '2026-11-29T08:11:29.000Z' AND bucket_start < '2026-11-30T08:11:29.000Z' GROUP BY b ORDER BY b;
SELECT bucket_start AS b, CAST(total(bytes_in) AS INTEGER), CAST(total(bytes_out) AS INTEGER) FROM traffic_samples_1m WHERE bucket_start >= '2026-11-29T08:11:29.000Z' AND bucket_start < '2026-11-30T08:11:29.000Z' GROUP BY b ORDER BY b;
SELECT bucket_start AS b, CAST(total(bytes_in) AS INTEGER), CAST(total(bytes_out) AS INTEGER) FROM traffic_samples_1m WHERE bucket_start >= '2026-11-29T08:11:29.000Z' AND bucket_start < '2026-11-30T08:11:29.000Z' GROUP BY b ORDER BY b;
SELECT bucket_start AS b, CAST(total(bytes_in) AS INTEGER), CAST(total(bytes_out) AS INTEGER) FROM traffic_samples_1m WHERE bucket_start >= '2026-11-29T08:11:29.000Z' AND bucket_start < '2026-11-30T08:11:29.000Z' GROUP BY b ORDER BY b;
