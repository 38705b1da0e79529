package org.caregate.smart;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The module and package rules of smart-auth (docs/DESIGN.md, "Modules and the direction of dependencies"): it uses
 * consent-rules and nothing else of CareGate; the scope grammar is plain Java; token validation needs no Spring; the
 * Spring Authorization Server stays in {@code org.caregate.smart.authserver}.
 */
@AnalyzeClasses(packages = "org.caregate.smart", importOptions = ImportOption.DoNotIncludeTests.class)
class SmartAuthArchitectureTest {

    @ArchTest
    static final ArchRule onlyConsentRulesOfCareGate = noClasses()
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("org.caregate.server..", "org.caregate.seed..", "org.caregate.profiles..")
            .because("dependencies point into server only; smart-auth may use consent-rules");

    @ArchTest
    static final ArchRule scopeGrammarIsPlainJava = classes()
            .that()
            .resideInAPackage("org.caregate.smart.scope..")
            .should()
            .onlyDependOnClassesThat()
            .resideInAnyPackage("java..", "org.caregate.smart.scope..")
            .because("the SMART scope grammar (v1 and v2) is plain Java");

    @ArchTest
    static final ArchRule tokenValidationWithoutSpring = classes()
            .that()
            .resideInAPackage("org.caregate.smart.token..")
            .should()
            .onlyDependOnClassesThat()
            .resideInAnyPackage("java..", "com.nimbusds..", "org.caregate.smart.token..", "org.caregate.smart.scope..")
            .because("token validation is nimbus-jose-jwt and the scope grammar, usable outside Spring");

    @ArchTest
    static final ArchRule authorizationServerStaysInAuthserver = noClasses()
            .that()
            .resideOutsideOfPackage("org.caregate.smart.authserver..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("org.springframework.security.oauth2.server.authorization..")
            .because("every Spring Authorization Server import stays in org.caregate.smart.authserver");

    /** authserver's own subpackages are one slice: its configuration wires them and they share its URLs. */
    @ArchTest
    static final ArchRule noCycles =
            slices().matching("org.caregate.smart.(*)..").should().beFreeOfCycles();
}
