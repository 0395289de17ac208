package cn.crb.app.arch;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The dependency rules of ARCHITECTURE.md, enforced: the domain is plain Java; only local-db speaks SQL (jOOQ, JDBC);
 * only sync speaks HTTP (OkHttp); the UI neither; nothing but the command lines writes to System.out.
 */
class ArchitectureTest {
    private static JavaClasses all;

    @BeforeAll
    static void importClasses() {
        all = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(location -> !location.contains("-tests.jar") && !location.contains("/test-classes/")) // local-db test helpers (test-jar) too
                .importPackages("cn.crb");
    }

    @Test
    void domainIsPureJava() {
        noClasses().that().resideInAPackage("cn.crb.domain..")
                .should().dependOnClassesThat().resideInAnyPackage("javafx..", "java.sql..", "javax.sql..", "org.h2..",
                        "org.jooq..", "okhttp3..", "java.net.http..", "cn.crb.localdb..", "cn.crb.sync..", "cn.crb.app..", "cn.crb.sim..")
                .check(all);
    }

    @Test
    void onlyLocalDbUsesSql() {
        noClasses().that().resideOutsideOfPackages("cn.crb.localdb..", "cn.crb.sim..")
                .should().dependOnClassesThat().resideInAnyPackage("org.jooq..", "java.sql..", "org.h2..", "org.flywaydb..")
                .check(all);
    }

    @Test
    void onlySyncUsesHttp() {
        noClasses().that().resideOutsideOfPackages("cn.crb.sync..", "cn.crb.sim..")
                .should().dependOnClassesThat().resideInAnyPackage("okhttp3..", "okio..", "java.net.http..", "com.sun.net.httpserver..")
                .check(all);
    }

    @Test
    void storageAndSyncKnowNothingOfTheUi() {
        noClasses().that().resideInAnyPackage("cn.crb.localdb..", "cn.crb.sync..", "cn.crb.sim..", "cn.crb.app.profile..", "cn.crb.app.sync..", "cn.crb.app.bulk..", "cn.crb.app.print..")
                .should().dependOnClassesThat().resideInAnyPackage("javafx..", "cn.crb.app.ui..")
                .check(all);
    }

    @Test
    void theWorkstationDoesNotReachIntoTheSimulator() {
        noClasses().that().resideInAnyPackage("cn.crb.domain..", "cn.crb.localdb..", "cn.crb.sync..", "cn.crb.app.profile..", "cn.crb.app.sync..", "cn.crb.app.bulk..", "cn.crb.app.cli..", "cn.crb.app.print..")
                .should().dependOnClassesThat().resideInAPackage("cn.crb.sim..")
                .check(all);
    }

    @Test
    void onlyCommandLinesPrintToStandardOut() {
        noClasses().that().resideOutsideOfPackages("cn.crb.app.cli..", "cn.crb.sim..")
                .and().doNotHaveFullyQualifiedName("cn.crb.app.ui.Launcher")
                .should().accessField(System.class, "out")
                .check(all);
    }
}
