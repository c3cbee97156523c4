package io.restrictd.syncer;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** Package boundaries of the syncer. */
@AnalyzeClasses(packages = "io.restrictd.syncer", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    @ArchTest
    static final ArchRule onlyLdapImportsUnboundId = noClasses().that()
            .resideOutsideOfPackage("io.restrictd.syncer.ldap..")
            .should().dependOnClassesThat().resideInAPackage("com.unboundid..")
            .because("only the ldap package talks to the directory library");

    @ArchTest
    static final ArchRule mappingAndStateArePure = noClasses().that()
            .resideInAnyPackage("io.restrictd.syncer.mapping..", "io.restrictd.syncer.state..")
            .should().dependOnClassesThat().resideInAnyPackage("org.apache.kafka..", "com.unboundid..")
            .because("mapping and state are pure functions of entries and published values");
}
