package org.caregate.consent;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The module rule of consent-rules (docs/DESIGN.md, "Modules and the direction of dependencies"): plain Java 17 that
 * knows nothing of FHIR, HTTP or Spring, so its decisions stay pure and testable without a server.
 */
@AnalyzeClasses(packages = "org.caregate.consent", importOptions = ImportOption.DoNotIncludeTests.class)
class ConsentRulesArchitectureTest {

    @ArchTest
    static final ArchRule onlyTheJdk = classes()
            .should()
            .onlyDependOnClassesThat()
            .resideInAnyPackage("java..", "org.caregate.consent..")
            .because("consent-rules is plain Java: no Spring, HAPI FHIR, servlet or other library");

    @ArchTest
    static final ArchRule noCycles =
            slices().matching("org.caregate.(**)").should().beFreeOfCycles();
}
