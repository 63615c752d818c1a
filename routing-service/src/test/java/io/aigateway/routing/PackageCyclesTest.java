package io.aigateway.routing;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The packages of routing-service form no cycle (docs/architecture.md, "Routing": the package graph), and the
 * response cache knows the chat pipeline only through its interface, never the HTTP route nor the routed pipeline.
 */
class PackageCyclesTest {

    static final JavaClasses ROUTING = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.aigateway.routing");

    @Test
    void noCycleBetweenRoutingPackages() {
        slices().matching("io.aigateway.routing.(*)..").should().beFreeOfCycles().check(ROUTING);
    }

    @Test
    void theCacheKnowsOnlyThePipelineInterface() {
        noClasses().that().resideInAPackage("io.aigateway.routing.cache..")
                .should().dependOnClassesThat().resideInAnyPackage("io.aigateway.routing.chat..", "io.aigateway.routing.web..")
                .check(ROUTING);
    }

    @Test
    void thePipelineContractDependsOnNoImplementation() {
        noClasses().that().resideInAPackage("io.aigateway.routing.pipeline..")
                .should().dependOnClassesThat().resideInAnyPackage("io.aigateway.routing.chat..",
                        "io.aigateway.routing.cache..", "io.aigateway.routing.web..", "io.aigateway.routing.usage..")
                .check(ROUTING);
    }
}
