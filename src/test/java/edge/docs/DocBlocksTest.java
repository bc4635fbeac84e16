package edge.docs;

import edge.docs.DocBlocks.Block;
import edge.docs.DocBlocks.Kind;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class DocBlocksTest {

    @Test
    void eachShellBlockCarriesTheMarkerAboveIt() {
        String md = """
                Text.

                <!-- check: run expect="person 4, bus 1" -->
                ```sh
                curl -fsS localhost:8080/count
                ```

                <!-- check: start expect='"status": "UP"' -->
                ```bash
                java -jar app.jar
                ```
                <!-- check: syntax needs a cluster -->

                ```shell
                kubectl apply -k k3s/overlays/store
                ```

                <!-- check: run -->
                Words between marker and block.
                ```sh
                echo unmarked
                ```

                ```json
                {"not": "shell"}
                ```

                ```
                plain
                ```

                1. A list item:

                   <!-- check: syntax indented -->
                   ```sh
                   echo one
                     echo two
                   ```
                """;
        List<Block> blocks = DocBlocks.parse("X.md", md);
        assertEquals(5, blocks.size(), blocks.toString());
        assertEquals(Kind.RUN, blocks.get(0).kind());
        assertEquals("person 4, bus 1", blocks.get(0).expect());
        assertEquals("curl -fsS localhost:8080/count\n", blocks.get(0).text());
        assertEquals("X.md:4", blocks.get(0).where());
        assertEquals(Kind.START, blocks.get(1).kind());
        assertEquals("\"status\": \"UP\"", blocks.get(1).expect(), "single quotes around a text with quotes");
        assertNull(blocks.get(2).expect());
        assertEquals(Kind.SYNTAX, blocks.get(2).kind(), "a blank line between marker and block is fine");
        assertEquals("needs a cluster", blocks.get(2).why());
        assertEquals(Kind.UNMARKED, blocks.get(3).kind(), "text between marker and block");
        assertEquals(Kind.SYNTAX, blocks.get(4).kind());
        assertEquals("echo one\n  echo two\n", blocks.get(4).text(), "the fence's indent is removed, no more");
        assertEquals(List.of("k3s/overlays/store"), DocBlocks.kustomizations(blocks.get(2).text()));
    }

    @Test
    void kustomizationsAreFoundInApplyAndKustomizeCommands() {
        assertEquals(List.of("a", "b/c"), DocBlocks.kustomizations("kubectl apply -k a   # x\nkubectl kustomize b/c\n"
                + "kubectl apply -f d.yaml\n"));
    }

    /** Fails early (before the packaged checks) when a README gets a shell block without a marker. */
    @Test
    void everyShellBlockOfTheReadmesIsMarked() throws IOException {
        List<String> unmarked = new ArrayList<>();
        for (String doc : ReadmeIT.DOCS) {
            DocBlocks.parse(doc, Files.readString(Path.of(doc))).stream().filter(b -> b.kind() == Kind.UNMARKED)
                    .forEach(b -> unmarked.add(b.where()));
        }
        assertEquals(List.of(), unmarked, "add <!-- check: run|start|syntax WHY --> above each (DocBlocks)");
    }
}
