package io.restrictd.service;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The module boundaries DESIGN.md promises, kept by a test rather than by goodwill. */
class ArchitectureTest {
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.restrictd");

    @Test
    void shouldKeepMapDbInsideTheStorePackage() {
        noClasses().that().resideOutsideOfPackage("io.restrictd.service.store..")
                .should().dependOnClassesThat().resideInAPackage("org.mapdb..")
                .check(CLASSES);
    }

    @Test
    void shouldKeepProtocolCodeFreeOfKafkaAndMapDb() {
        noClasses().that().resideInAPackage("io.restrictd.service.protocol..")
                .should().dependOnClassesThat().resideInAnyPackage("org.apache.kafka..", "org.mapdb..",
                        "io.restrictd.service.store..", "io.restrictd.service.ingest..")
                .check(CLASSES);
    }

    @Test
    void shouldKeepTheLookupCoreFreeOfInfrastructure() {
        noClasses().that().resideInAPackage("io.restrictd.service.core..")
                .should().dependOnClassesThat().resideInAnyPackage("org.apache.kafka..", "org.mapdb..",
                        "io.dropwizard..", "jakarta.ws..")
                .check(CLASSES);
    }

    @Test
    void shouldKeepUnboundIdOutOfTheService() {
        noClasses().that().resideInAPackage("io.restrictd.service..")
                .should().dependOnClassesThat().resideInAPackage("com.unboundid..")
                .check(CLASSES);
    }
}
