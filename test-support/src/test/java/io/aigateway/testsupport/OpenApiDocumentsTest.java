package io.aigateway.testsupport;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OpenApiDocumentsTest {

    private String writeProperty;

    /** A run that regenerates the documents (-Daigw.openapi.write=true) must not change what these tests see. */
    @BeforeEach
    void compareMode() {
        writeProperty = System.clearProperty(OpenApiDocuments.WRITE_PROPERTY);
    }

    @AfterEach
    void restore() {
        if (writeProperty != null) {
            System.setProperty(OpenApiDocuments.WRITE_PROPERTY, writeProperty);
        }
    }

    @Test
    void canonicalFormSortsMapsAndKeepsListOrder() {
        assertEquals("""
                a:
                  k: 1
                  m: 2
                b:
                  - z
                  - c
                """, OpenApiDocuments.canonicalYaml("{\"b\":[\"z\",\"c\"],\"a\":{\"m\":2,\"k\":1}}"));
        assertEquals(OpenApiDocuments.canonicalYaml("{\"p\":{\"b\":1,\"a\":2}}"),
                OpenApiDocuments.canonicalYaml("{\"p\":{\"a\":2,\"b\":1}}"));
    }

    @Test
    void aDifferenceFailsWithTheDiffAndTheRegenerateCommand(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("svc.yaml");
        Files.writeString(file, OpenApiDocuments.canonicalYaml("{\"paths\":{\"/a\":{},\"/b\":{}}}"));
        OpenApiDocuments.assertCommitted("svc", "{\"paths\":{\"/b\":{},\"/a\":{}}}", file);

        AssertionError e = assertThrows(AssertionError.class,
                () -> OpenApiDocuments.assertCommitted("svc", "{\"paths\":{\"/a\":{},\"/c\":{}}}", file));
        assertTrue(e.getMessage().contains("-Daigw.openapi.write=true"), e.getMessage());
        assertTrue(e.getMessage().contains("- 3:   /b: {}"), e.getMessage());
        assertTrue(e.getMessage().contains("+ 3:   /c: {}"), e.getMessage());
        assertTrue(e.getMessage().indexOf("- 3:") < e.getMessage().indexOf("+ 3:"), "removed lines first: " + e.getMessage());

        assertThrows(AssertionError.class,
                () -> OpenApiDocuments.assertCommitted("svc", "{}", dir.resolve("missing.yaml")));
    }

    @Test
    void writeModeWritesTheFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("out/svc.yaml");
        System.setProperty(OpenApiDocuments.WRITE_PROPERTY, "true");
        OpenApiDocuments.assertCommitted("svc", "{\"b\":1,\"a\":\"2\"}", file);
        System.clearProperty(OpenApiDocuments.WRITE_PROPERTY);
        // numbers and strings that look like numbers stay apart (OpenAPI's info.version is a string)
        assertEquals("a: \"2\"\nb: 1\n", Files.readString(file));
    }
}
