package dev.portunus.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** A command-mode run registers only its verb; help and unknown verbs still see all of them. */
class CommandsTest {

    @Test
    void theVerbIsTheFirstArgumentThatIsNeitherAnOptionNorTheDataDirValue() {
        assertEquals("backup", Commands.verbOf("--data-dir", "/srv/backup", "backup", "--out", "x"));
        assertEquals("verify", Commands.verbOf("--data-dir=/srv", "verify", "--in", "a.db"));
        assertEquals("prune", Commands.verbOf("-h", "prune"));
        assertNull(Commands.verbOf("--help"));
        assertNull(Commands.verbOf());
    }

    @Test
    void aKnownVerbRegistersOnlyItself() {
        assertEquals(Set.of("backup"), Commands.commandLineFor("--data-dir", "d", "backup", "--out", "o").getSubcommands().keySet());
        assertEquals(Set.of("serve"), Commands.commandLineFor("serve").getSubcommands().keySet());
    }

    @Test
    void helpAndUnknownVerbsSeeEveryVerbInHelpOrder() {
        List<String> all = List.of("serve", "backup", "verify", "restore", "reset", "audit", "gen-token", "user-add",
                "reset-password", "import-legacy", "client");
        assertEquals(all, List.copyOf(Commands.commandLineFor("--help").getSubcommands().keySet()));
        assertEquals(all, List.copyOf(Commands.commandLineFor("bogus").getSubcommands().keySet()));
    }

    @Test
    void theDataDirBeforeTheVerbIsStillInheritedByIt() {
        CommandLine cl = Commands.commandLineFor("--data-dir", "/srv/p", "reset");
        CommandLine.ParseResult parsed = cl.parseArgs("--data-dir", "/srv/p", "reset");
        assertEquals("/srv/p", parsed.matchedOptionValue("--data-dir", null));
        assertEquals("reset", parsed.subcommand().commandSpec().name());
        assertEquals(3, Commands.commandLineFor("serve").getSubcommands().get("serve").getCommandSpec().options().stream()
                .filter(o -> o.longestName().endsWith("-listen") || o.longestName().equals("--log-format")).count());
    }
}
