package dev.portunus.clienttool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portunus.testing.TestFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BundleLocatorTest {

    Path root;
    Path envBundle;
    Path xdgBundle;
    Path homeBundle;
    Path cwdBundle;
    Map<String, String> env;

    @BeforeEach
    void setUp() {
        root = TestFiles.tempDir("bundle-locator-");
        envBundle = root.resolve("env/explicit.json");
        xdgBundle = root.resolve("xdg/portunus/client.bundle.json");
        homeBundle = root.resolve("home/.config/portunus/client.bundle.json");
        cwdBundle = root.resolve("cwd/client.bundle.json");
        env = new HashMap<>(Map.of("PORTUNUS_CLIENT_BUNDLE", envBundle.toString(), "XDG_CONFIG_HOME", root.resolve("xdg").toString(),
                "HOME", root.resolve("home").toString()));
    }

    @AfterEach
    void tearDown() {
        TestFiles.deleteTree(root);
    }

    BundleLocator locator() throws IOException {
        Files.createDirectories(root.resolve("cwd"));
        return new BundleLocator(env, root.resolve("cwd"));
    }

    static void touch(Path p) throws IOException {
        Files.createDirectories(p.getParent());
        Files.writeString(p, "{}");
    }

    @Test
    void eachLocationWinsWhenTheEarlierOnesAreAbsent() throws IOException {
        List<Path> order = List.of(envBundle, xdgBundle, homeBundle, cwdBundle);
        for (Path p : order) {
            touch(p);
        }
        for (Path expected : order) {
            assertEquals(expected, locator().locate(Optional.empty()));
            Files.delete(expected);
        }
    }

    @Test
    void anExplicitBundleIsNeverSubstituted() throws IOException {
        touch(envBundle);
        touch(cwdBundle);
        Path missing = root.resolve("nowhere/client.bundle.json");
        ClientFailure f = assertThrows(ClientFailure.class, () -> locator().locate(Optional.of(missing)));
        assertTrue(f.getMessage().contains(missing.toString()), f.getMessage());
        assertTrue(f.getMessage().contains("--bundle"), f.getMessage());
        touch(missing);
        assertEquals(missing, locator().locate(Optional.of(missing)));
    }

    @Test
    void whenNothingResolvesEveryTriedPathIsListedInOrderOnePerLine() throws IOException {
        ClientFailure f = assertThrows(ClientFailure.class, () -> locator().locate(Optional.empty()));
        List<String> lines = f.getMessage().lines().toList();
        int first = lines.indexOf(envBundle.toString());
        assertTrue(first > 0, f.getMessage());
        assertEquals(List.of(envBundle.toString(), xdgBundle.toString(), homeBundle.toString(), cwdBundle.toString()),
                lines.subList(first, first + 4));
    }

    @Test
    void unsetAndEmptyVariablesAreSkippedAndSaidSo() throws IOException {
        env.remove("PORTUNUS_CLIENT_BUNDLE");
        env.put("XDG_CONFIG_HOME", "");
        ClientFailure f = assertThrows(ClientFailure.class, () -> locator().locate(Optional.empty()));
        List<String> lines = f.getMessage().lines().toList();
        assertTrue(lines.contains("$PORTUNUS_CLIENT_BUNDLE: skipped (unset)"), f.getMessage());
        assertTrue(lines.contains("$XDG_CONFIG_HOME: skipped (empty)"), f.getMessage());
        assertTrue(lines.indexOf("$XDG_CONFIG_HOME: skipped (empty)") < lines.indexOf(homeBundle.toString()), f.getMessage());

        touch(homeBundle);
        StringWriter out = new StringWriter();
        assertEquals(0, new ClientActions(env, root.resolve("cwd"), new PrintWriter(out), new PrintWriter(new StringWriter()))
                .bundlePath(Optional.empty()));
        List<String> printed = out.toString().lines().toList();
        assertEquals(homeBundle.toString(), printed.get(printed.size() - 1));
        assertTrue(printed.contains("# $PORTUNUS_CLIENT_BUNDLE: skipped (unset)"), out.toString());
    }

    @Test
    void enrollWritesToTheFirstLocationWhoseDirectoryCanBeCreated() throws IOException {
        env.remove("PORTUNUS_CLIENT_BUNDLE");
        Files.createDirectories(root.resolve("blocked"));
        Files.writeString(root.resolve("blocked/file"), "x");
        env.put("XDG_CONFIG_HOME", root.resolve("blocked/file").toString()); // a file: no directory below it
        Path target = locator().target();
        assertEquals(homeBundle, target);
        assertTrue(Files.isDirectory(homeBundle.getParent()));
        assertFalse(Files.exists(homeBundle));
    }

    @Test
    void aBundleIsValidatedBeforeUse() throws IOException {
        Path p = root.resolve("b.json");
        String fp = "ab".repeat(32);
        Files.writeString(p, "{\"version\":1,\"client_id\":\"C\",\"client_name\":\"n\",\"server\":\"h:7443\","
                + "\"server_cert_sha256\":\"" + fp + "\",\"token\":\"t\"}");
        assertEquals("C", BundleFile.read(p).clientId());
        for (String broken : List.of("{", "{\"version\":2,\"client_id\":\"C\",\"client_name\":\"n\",\"server\":\"h:7443\","
                + "\"server_cert_sha256\":\"" + fp + "\",\"token\":\"t\"}",
                "{\"version\":1,\"client_id\":\"C\",\"client_name\":\"n\",\"server\":\"h\",\"server_cert_sha256\":\"" + fp
                + "\",\"token\":\"t\"}",
                "{\"version\":1,\"client_id\":\"C\",\"client_name\":\"n\",\"server\":\"h:1\",\"server_cert_sha256\":\"xyz\",\"token\":\"t\"}")) {
            Files.writeString(p, broken);
            assertThrows(ClientFailure.class, () -> BundleFile.read(p), broken);
        }
    }

    @Test
    void enrollUrisAreParsedStrictly() {
        String fp = "ab".repeat(32);
        EnrollUri u = EnrollUri.parse("portunus://enroll?server=h.example:7443&code=abc-_1&fp=" + fp.toUpperCase());
        assertEquals(new EnrollUri("h.example:7443", "abc-_1", fp), u);
        assertThrows(ClientFailure.class, () -> EnrollUri.parse("https://enroll?server=h:1&code=c&fp=" + fp));
        assertThrows(ClientFailure.class, () -> EnrollUri.parse("portunus://enroll?server=h:1&code=c&fp=abc"));
        assertThrows(ClientFailure.class, () -> EnrollUri.parse("portunus://enroll?server=h&code=c&fp=" + fp));
        assertThrows(ClientFailure.class, () -> EnrollUri.parse("portunus://enroll?server=h:1&fp=" + fp));
    }
}
