package org.caregate.server;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackages;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.AccessTarget;
import com.tngtech.archunit.core.domain.JavaAccess;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.Date;
import java.util.Set;

/**
 * The package rules of the server (docs/DESIGN.md, "Packages of the server"), and the one rule that holds across every
 * module: the time comes from the injected {@link Clock}. Main classes of every module only (the tests move clocks).
 */
@AnalyzeClasses(
        packages = "org.caregate",
        importOptions = {ImportOption.DoNotIncludeTests.class, ServerArchitectureTest.NoTestJars.class})
class ServerArchitectureTest {

    /** smart-auth's test support arrives as its test jar. */
    static final class NoTestJars implements ImportOption {
        @Override
        public boolean includes(Location location) {
            return !location.contains("-tests.jar");
        }
    }

    private static final String SERVER = "org.caregate.server..";
    private static final String ACCESS = "org.caregate.server.access..";
    private static final String SECURITY = "org.caregate.server.security..";
    private static final String RELEASE = "org.caregate.server.security.release..";
    private static final String AUDIT = "org.caregate.server.audit..";
    private static final String PORTAL = "org.caregate.server.portal..";

    @ArchTest
    static final ArchRule accessIndexStandsAlone = noClasses()
            .that()
            .resideInAPackage(ACCESS)
            .should()
            .dependOnClassesThat(resideInAPackage(SERVER)
                    .and(resideOutsideOfPackages(ACCESS, "org.caregate.server.config.."))
                    .as("server packages other than access and config"))
            .because("the access index and the decisions read from it are what the request path is built on");

    @ArchTest
    static final ArchRule accessDecisionsIgnoreTheirAuditTrail = noClasses()
            .that()
            .resideInAPackage(SECURITY)
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(AUDIT, PORTAL, "org.caregate.server.operations..", "org.caregate.server.seed..")
            .because("the audit trail records the access context, not the other way round");

    @ArchTest
    static final ArchRule releaseHoldIsAStepOfTheSecurityChain = noClasses()
            .that()
            .resideOutsideOfPackage(SECURITY)
            .should()
            .dependOnClassesThat()
            .resideInAPackage(RELEASE)
            .because("the release hold is applied by the security chain only");

    @ArchTest
    static final ArchRule portalIsALeaf = noClasses()
            .that()
            .resideOutsideOfPackage(PORTAL)
            .should()
            .dependOnClassesThat()
            .resideInAPackage(PORTAL)
            .because("the portal pages use the access layer and the authorization server; nothing uses the pages");

    @ArchTest
    static final ArchRule requestPathReadsNoHapiTables = noClasses()
            .that()
            .resideInAnyPackage(ACCESS, SECURITY, AUDIT)
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("ca.uhn.fhir.jpa.model.entity..", "ca.uhn.fhir.jpa.dao.data..")
            .because("nothing on the request path reads HAPI's HFJ_* tables: the access index and the audit store"
                    + " are CareGate's own");

    @ArchTest
    static final ArchRule authorizationServerStaysInSmartAuth = noClasses()
            .that()
            .resideInAPackage(SERVER)
            .and()
            .resideOutsideOfPackage(PORTAL)
            .should()
            .dependOnClassesThat()
            .resideInAPackage("org.springframework.security.oauth2.server.authorization..")
            .because("Spring Authorization Server stays in org.caregate.smart.authserver (the portal lists its"
                    + " registered clients for EHR launch)");

    /** A package with its subpackages is one slice (security with security.release, portal with its pages). */
    @ArchTest
    static final ArchRule noCyclesBetweenServerPackages =
            slices().matching("org.caregate.server.(*)..").should().beFreeOfCycles();

    /** The Clock bean of the server, and smart-auth's own when the application that hosts it gives none. */
    private static final Set<String> CLOCK_PROVIDERS = Set.of(
            "org.caregate.server.config.ClockConfig", "org.caregate.smart.authserver.SmartAuthorizationServerConfig");

    @ArchTest
    static final ArchRule timeFromTheInjectedClock = noClasses()
            .that(DescribedPredicate.describe(
                    "are not the Clock's providers", javaClass -> !CLOCK_PROVIDERS.contains(javaClass.getName())))
            .should()
            .accessTargetWhere(readsTheSystemClock())
            .because("times and dates come from the injected Clock, so that tests can move it (DESIGN.md, access"
                    + " policy: ages on today's date in the facility zone, from an injected Clock)");

    private static DescribedPredicate<JavaAccess<?>> readsTheSystemClock() {
        return DescribedPredicate.describe("reads the system clock", access -> {
            AccessTarget target = access.getTarget();
            String name = target.getName();
            if (target.getOwner().isEquivalentTo(System.class)) {
                return name.equals("currentTimeMillis");
            }
            if (target.getOwner().isEquivalentTo(Clock.class)) {
                return name.startsWith("system");
            }
            if (target.getOwner().isEquivalentTo(Date.class)) {
                return target instanceof AccessTarget.ConstructorCallTarget constructor
                        && constructor.getRawParameterTypes().isEmpty();
            }
            boolean javaTime = Set.of(
                            Instant.class,
                            LocalDate.class,
                            LocalDateTime.class,
                            LocalTime.class,
                            OffsetDateTime.class,
                            ZonedDateTime.class)
                    .stream()
                    .anyMatch(type -> target.getOwner().isEquivalentTo(type));
            // now(Clock) reads the given clock; now() and now(ZoneId) the system's
            return javaTime
                    && name.equals("now")
                    && target instanceof AccessTarget.CodeUnitAccessTarget call
                    && call.getRawParameterTypes().stream().noneMatch(type -> type.isEquivalentTo(Clock.class));
        });
    }
}
