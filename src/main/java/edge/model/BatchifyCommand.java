package edge.model;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/** {@code batchify IN.onnx OUT.onnx}: writes a copy of a fixed-batch YOLO export with a symbolic batch dimension. */
public final class BatchifyCommand {

    private BatchifyCommand() {
    }

    public static int run(List<String> args, PrintStream out) throws IOException {
        if (args.size() != 2) {
            out.println("usage: batchify IN.onnx OUT.onnx");
            return 2;
        }
        Path in = Path.of(args.get(0));
        Path target = Path.of(args.get(1));
        BatchRewrite.Result result;
        try {
            result = BatchRewrite.rewrite(Files.readAllBytes(in));
        } catch (ModelRejected e) {
            out.println(in + ": " + e.getMessage());
            return 1;
        }
        // Written next to the target first, so a failure never leaves half a model under the target's name.
        Path partial = Files.createTempFile(target.toAbsolutePath().getParent(), ".batchify-", ".onnx.part");
        Files.write(partial, result.model());
        Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        out.printf("wrote %s: input and output batch dimension '%s', %d reshape(s) now copy the batch%n", target,
                BatchRewrite.BATCH_DIM, result.reshapes());
        if (result.batchChangesResults()) {
            out.println("note: this model quantizes activations dynamically (DynamicQuantizeLinear): in a batch the "
                    + "images share one scale, so batched results differ from single runs; the service runs such "
                    + "models one image per call");
        }
        return 0;
    }
}
