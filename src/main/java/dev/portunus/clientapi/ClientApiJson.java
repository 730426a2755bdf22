package dev.portunus.clientapi;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.portunus.quotas.QuotaJson;
import java.util.List;

/** Wire shapes of the client listener that combine areas (the others are in ClientJson and TrafficJson). */
public final class ClientApiJson {

    private ClientApiJson() {
    }

    /**
     * The answer to {@code POST /v1/client/traffic} (06-traffic.md §2.2): the traffic area's result and
     * every quota on the reporting client with its status after this report.
     */
    @JsonPropertyOrder({"result", "server_time", "report_interval_secs", "ignored_rule_ids", "quotas"})
    public record ReportAnswer(String result, String serverTime, int reportIntervalSecs, List<String> ignoredRuleIds,
            List<QuotaJson.ClientQuota> quotas) {
    }
}
