package dev.portunus.cli;

import dev.portunus.api.ApiException;
import dev.portunus.events.Event;
import dev.portunus.events.EventName;
import dev.portunus.users.UserJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "reset-password", description = "Set a user's password in a stopped server's store and end its sessions.")
public class ResetPasswordCommand extends OfflineUserCommand {

    @Parameters(index = "0", paramLabel = "<id>")
    String id;

    @Option(names = "--temporary", description = "Generate a temporary password (printed on stdout); the user must change it.")
    boolean temporary;

    @Option(names = "--password-stdin", description = "Read the new password from the first line of stdin.")
    boolean passwordStdin;

    @Override
    EventName refused() {
        return EventName.CLI_RESET_PASSWORD_REFUSED;
    }

    @Override
    String verb() {
        return "reset-password";
    }

    @Override
    Integer run() {
        if (temporary == passwordStdin) {
            throw invalid(refused(), "give exactly one of --temporary or --password-stdin");
        }
        UserJson.PasswordReset r;
        try {
            r = users().resetPassword(id, passwordStdin ? readPasswordLine(refused()) : null, temporary);
        } catch (ApiException e) {
            if (e.status() == 404) {
                throw new dev.portunus.events.Refusal(dev.portunus.events.Refusal.GENERIC, Event.of(EventName.CLI_RESET_PASSWORD_REFUSED)
                        .with("user_id", id).with("reason", "no such user").hint("list users with GET /v1/users"));
            }
            throw invalid(refused(), e.code() + ": " + e.getMessage());
        }
        if (r.temporaryPassword() != null) {
            out().println(r.temporaryPassword());
            out().flush();
        }
        Event.of(EventName.CLI_PASSWORD_RESET).with("user_id", id).with("sessions_revoked", r.sessionsRevoked())
                .with("temporary", temporary).info();
        return 0;
    }
}
