package io.aigateway.adapter.architecture;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The adapter's package structure: no import cycles between its features, nor between the provider's packages,
 * and the provider layers point one way: kinds ({@code openai}, {@code anthropic}, …) → {@code http} →
 * {@code wire} → {@code transport} → the provider contracts ({@code provider} itself).
 */
@AnalyzeClasses(packages = "io.aigateway.adapter", importOptions = ImportOption.DoNotIncludeTests.class)
class PackageCyclesTest {

    private static final String[] KINDS = {"..provider.openai..", "..provider.deepseek..", "..provider.anthropic..",
            "..provider.ollama..", "..provider.hf..", "..provider.local..", "..provider.gemini.."};

    @ArchTest
    static final ArchRule noCyclesBetweenFeatures = slices().matching("io.aigateway.adapter.(*)..")
            .should().beFreeOfCycles();

    @ArchTest
    static final ArchRule noCyclesBetweenProviderPackages = slices().matching("io.aigateway.adapter.provider.(*)..")
            .should().beFreeOfCycles();

    @ArchTest
    static final ArchRule contractsKnowNoImplementation = noClasses()
            .that().resideInAPackage("io.aigateway.adapter.provider")
            .should().dependOnClassesThat().resideInAnyPackage(concat(KINDS, "..provider.http..", "..provider.wire..",
                    "..provider.transport.."));

    @ArchTest
    static final ArchRule transportKnowsNoFormat = noClasses()
            .that().resideInAPackage("..provider.transport..")
            .should().dependOnClassesThat().resideInAnyPackage(concat(KINDS, "..provider.wire..", "..provider.http.."));

    @ArchTest
    static final ArchRule wireFormatsKnowNoKindNorAdapter = noClasses()
            .that().resideInAPackage("..provider.wire..")
            .should().dependOnClassesThat().resideInAnyPackage(concat(KINDS, "..provider.http.."));

    @ArchTest
    static final ArchRule adapterKnowsNoKind = noClasses()
            .that().resideInAPackage("..provider.http..")
            .should().dependOnClassesThat().resideInAnyPackage(KINDS);

    private static String[] concat(String[] a, String... b) {
        String[] all = new String[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
