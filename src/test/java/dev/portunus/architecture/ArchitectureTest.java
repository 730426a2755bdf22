package dev.portunus.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The house rules (issue 9), checked on every build so that a new violation fails it: every API area
 * is Resource → Service → Repository → XxxJson; SQL lives only in repositories and the store
 * engine; packages form no cycle and call downwards only.
 */
class ArchitectureTest {

    private static final String ROOT = "dev.portunus";

    /** Packages nothing may depend on from below: the engine and the leaves everyone uses. */
    private static final String[] FOUNDATION = {ROOT + ".store..", ROOT + ".events..", ROOT + ".files..", ROOT + ".config..",
        ROOT + ".crypto.."};

    /** The API areas: each owns its tables and has a resource, a service and a repository. */
    private static final String[] AREAS = {"auth", "users", "credentials", "grants", "rules", "clients", "envelopes",
        "quotas", "audit", "traffic", "settings"};

    private static JavaClasses main;

    @BeforeAll
    static void importMain() {
        main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages(ROOT);
    }

    @Test
    void packagesFormNoCycle() {
        slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(main);
    }

    @Test
    void noResourceTouchesTheStoreOrSql() {
        noClasses().that().haveSimpleNameEndingWith("Resource")
                .should().dependOnClassesThat().resideInAPackage(ROOT + ".store..")
                .because("a resource is HTTP only: transactions belong to its service")
                .check(main);
    }

    @Test
    void theFoundationCallsNoAreaOperationOrCommand() {
        for (String layer : FOUNDATION) {
            noClasses().that().resideInAPackage(layer)
                    .should().dependOnClassesThat().resideInAnyPackage(areasAnd(ROOT + ".api..", ROOT + ".ops..", ROOT + ".cli..",
                            ROOT + ".clienttool..", ROOT + ".metrics..", ROOT + ".tls..", ROOT + ".maintenance.."))
                    .check(main);
        }
    }

    @Test
    void theSharedHttpLayerCallsNoArea() {
        noClasses().that().resideInAPackage(ROOT + ".api..")
                .should().dependOnClassesThat().resideInAnyPackage(areasAnd(ROOT + ".ops..", ROOT + ".cli..", ROOT + ".maintenance.."))
                .check(main);
    }

    @Test
    void onlyTheCommandLineCallsTheCommandLine() {
        noClasses().that().resideOutsideOfPackages(ROOT + ".cli..")
                .should().dependOnClassesThat().resideInAPackage(ROOT + ".cli..")
                .check(main);
    }

    @Test
    void resourcesSpeakOnlyInWireRecordsOfXxxJsonClasses() {
        classes().that().haveSimpleNameEndingWith("Resource").should(new ArchCondition<>("take and return only records declared in a *Json class") {
            @Override
            public void check(JavaClass resource, ConditionEvents events) {
                for (JavaMethod m : resource.getMethods()) {
                    List<JavaClass> types = new ArrayList<>(m.getRawParameterTypes());
                    types.add(m.getRawReturnType());
                    for (JavaClass t : types) {
                        if (t.isRecord() && t.getEnclosingClass().map(e -> !e.getSimpleName().endsWith("Json")).orElse(true)) {
                            events.add(SimpleConditionEvent.violated(m, m.getFullName() + " uses record " + t.getName()
                                    + ", which is not declared in a *Json class"));
                        }
                    }
                }
            }
        }).check(main);
    }

    @Test
    void everyAreaHasItsRooms() {
        for (String area : AREAS) {
            Set<String> names = main.stream().filter(c -> c.getPackageName().equals(ROOT + "." + area))
                    .map(JavaClass::getSimpleName).collect(java.util.stream.Collectors.toSet());
            assertEquals(true, names.stream().anyMatch(n -> n.endsWith("Repository")), area + " has a repository: " + names);
        }
        classes().that().haveSimpleNameEndingWith("Repository").and().areTopLevelClasses()
                .should().haveOnlyFinalFields().andShould().haveOnlyPrivateConstructors()
                .because("repositories are static SQL on the caller's Handle, so several compose in one transaction")
                .check(main);
        classes().that().haveSimpleNameEndingWith("Service").and().resideInAnyPackage(areasAnd())
                .should().beAnnotatedWith("jakarta.enterprise.context.ApplicationScoped").check(main);
    }

    /** Statement keywords in Java string literals; PRAGMAs and transaction control count too. */
    private static final Pattern SQL = Pattern.compile(
            "\"[^\"\\n]*\\b(SELECT\\s|INSERT\\s+INTO|UPDATE\\s+\\w+\\s+SET|DELETE\\s+FROM|CREATE\\s+TABLE|PRAGMA\\s|BEGIN\\s+\\w*|COMMIT|ROLLBACK)");

    @Test
    void sqlLivesOnlyInRepositoriesAndTheStoreEngine() throws IOException {
        Path sources = Path.of("src/main/java/dev/portunus");
        List<String> offenders = new ArrayList<>();
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                boolean allowed = f.getFileName().toString().endsWith("Repository.java") || f.startsWith(sources.resolve("store"));
                if (allowed) {
                    continue;
                }
                Matcher m = SQL.matcher(Files.readString(f));
                if (m.find()) {
                    offenders.add(sources.relativize(f) + ": " + m.group());
                }
            }
        }
        assertEquals(List.of(), offenders, "SQL outside a *Repository and the store engine");
    }

    @Test
    void theSqlScanFindsWhatItLooksFor() {
        // The scan above must be able to fail: it sees a statement in a literal, and not prose.
        assertEquals(true, SQL.matcher("String q = \"SELECT id FROM users\";").find());
        assertEquals(true, SQL.matcher("h.update(\"DELETE FROM rules WHERE id = ?\")").find());
        assertEquals(false, SQL.matcher("// select a user, then delete from the list").find());
    }

    /** Class → priority of each start-up observer in the app (CDI's default when none is given). */
    private static java.util.Map<String, Integer> startupObserverPriorities() {
        java.util.Map<String, Integer> out = new java.util.TreeMap<>();
        for (JavaClass c : main) {
            for (java.lang.reflect.Method m : c.reflect().getDeclaredMethods()) {
                for (java.lang.reflect.Parameter p : m.getParameters()) {
                    if (p.getType() == io.quarkus.runtime.StartupEvent.class && p.isAnnotationPresent(jakarta.enterprise.event.Observes.class)) {
                        jakarta.annotation.Priority priority = p.getAnnotation(jakarta.annotation.Priority.class);
                        out.put(c.getName() + "." + m.getName(),
                                priority == null ? jakarta.interceptor.Interceptor.Priority.APPLICATION + 500 : priority.value());
                    }
                }
            }
        }
        return out;
    }

    @Test
    void theClientListenerOpensItsPortAfterEveryOtherStartUpObserverRan() {
        java.util.Map<String, Integer> observers = startupObserverPriorities();
        String listener = dev.portunus.clientapi.ClientListener.class.getName() + ".onStart";
        assertTrue(observers.size() >= 5 && observers.containsKey(listener), observers.toString());
        int last = observers.remove(listener);
        observers.forEach((observer, priority) -> assertTrue(priority < last,
                observer + " (priority " + priority + ") would run after the client listener opened (" + last + ")"));
    }

    /** A single-type import: group 2 the type's simple name. */
    private static final Pattern IMPORT = Pattern.compile("(?m)^import (static )?[\\w.]+\\.(\\w+);$");

    /**
     * Why an import of {@code source} misleads, or empty: its name is never used, or a type declared
     * in the file takes the name (the import is then dead, yet it still reads as a dependency, e.g.
     * config on auth, which this test's layering forbids).
     */
    static List<String> misleadingImports(String source) {
        String body = source.replaceAll("(?m)^import .*;$", "");
        List<String> found = new ArrayList<>();
        Matcher m = IMPORT.matcher(source);
        while (m.find()) {
            String name = m.group(2);
            if (!Pattern.compile("\\b" + name + "\\b").matcher(body).find()) {
                found.add(m.group().trim() + " (unused)");
            } else if (m.group(1) == null
                    && Pattern.compile("\\b(class|interface|record|enum)\\s+" + name + "\\b").matcher(body).find()) {
                found.add(m.group().trim() + " (a type of this file has the name)");
            }
        }
        return found;
    }

    @Test
    void everyImportIsUsedAndNoneIsShadowedByATypeOfItsFile() throws IOException {
        List<String> offenders = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of("src"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                misleadingImports(Files.readString(f)).forEach(i -> offenders.add(f + ": " + i));
            }
        }
        assertEquals(List.of(), offenders);
    }

    @Test
    void theImportScanFindsWhatItLooksFor() {
        assertEquals(List.of("import a.b.Gone; (unused)"), misleadingImports("import a.b.Gone;\nclass X {}\n"));
        assertEquals(List.of("import a.b.Grant; (a type of this file has the name)"),
                misleadingImports("import a.b.Grant;\nclass X { record Grant(int a) {} Grant g; }\n"));
        assertEquals(List.of(), misleadingImports("import a.b.Used;\nclass X { Used u; }\n"));
    }

    private static String[] areasAnd(String... more) {
        List<String> all = new ArrayList<>();
        for (String a : AREAS) {
            all.add(ROOT + "." + a + "..");
        }
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

}
