package dev.portunus.cli;

import dev.portunus.api.ApiException;
import dev.portunus.events.Event;
import dev.portunus.events.EventName;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "user-add", description = "Create a user in a stopped server's store (password read from stdin).")
public class UserAddCommand extends OfflineUserCommand {

    @Parameters(index = "0", paramLabel = "<id>", description = "User id: ^[a-z][a-z0-9_-]{0,31}$")
    String id;

    @Option(names = "--display-name", required = true, paramLabel = "<name>")
    String displayName;

    @Option(names = "--role", defaultValue = "user", paramLabel = "superadmin|user")
    String role;

    @Option(names = "--password-stdin", required = true, description = "Read the password from the first line of stdin.")
    boolean passwordStdin;

    @Override
    EventName refused() {
        return EventName.CLI_USER_ADD_REFUSED;
    }

    @Override
    String verb() {
        return "user-add";
    }

    @Override
    Integer run() {
        String password = readPasswordLine(refused());
        try {
            users().create(id, displayName, role, password, false);
        } catch (ApiException e) {
            throw invalid(refused(), e.code() + ": " + e.getMessage());
        }
        out().println(id);
        out().flush();
        Event.of(EventName.CLI_USER_ADDED).with("user_id", id).with("role", role).info();
        return 0;
    }
}
