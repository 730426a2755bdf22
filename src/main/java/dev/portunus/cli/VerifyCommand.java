package dev.portunus.cli;

import dev.portunus.events.Event;
import dev.portunus.events.EventName;
import dev.portunus.ops.VerifyService;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "verify", description = "Check a backup artefact without touching the data-dir.")
public class VerifyCommand extends StoreCommand {

    @Option(names = "--in", required = true, paramLabel = "<backup>", description = "Artefact to check.")
    Path in;

    @Override
    public Integer call() {
        VerifyService.Summary s = VerifyService.verify(in);
        PrintWriter out = out();
        out.println("artefact: " + s.artefact());
        out.println("schema_version: " + s.schemaVersion());
        out.println("sha256: " + (s.checksumChecked() ? "matches .sha256" : "no .sha256 file beside it"));
        out.println("integrity_check: ok");
        out.println("foreign_key_check: ok");
        out.println("audit_span: " + s.auditFirst().orElse("-") + " .. " + s.auditLast().orElse("-"));
        out.println("rows:");
        s.rowCounts().forEach((table, n) -> out.println("  " + table + ": " + n));
        out.flush();
        Event.of(EventName.CLI_VERIFY_OK).with("path", s.artefact()).with("schema_version", s.schemaVersion()).info();
        return 0;
    }
}
