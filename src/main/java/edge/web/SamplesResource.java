package edge.web;

import edge.config.UiConfig;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * {@code GET /samples}: the images of the folder {@code edge.ui.samples}, by file name, for the Detect page; and
 * {@code GET /samples/{name}}: one of them. A name is served only when it is one of the listed names, so no path
 * (traversal, sub-folders, hidden or non-image files) ever reaches the file system.
 */
@Path("/samples")
public class SamplesResource {

    private static final Logger LOG = Logger.getLogger(SamplesResource.class);

    /** Sample images by file extension (lower case), with the type they are served as. */
    static final Map<String, String> TYPES = Map.of(
            "jpg", "image/jpeg", "jpeg", "image/jpeg", "png", "image/png", "bmp", "image/bmp",
            "webp", "image/webp", "tif", "image/tiff", "tiff", "image/tiff");

    private final Optional<java.nio.file.Path> folder;

    public SamplesResource(UiConfig config) {
        this.folder = config.samples();
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public List<String> list() {
        if (folder.isEmpty() || !Files.isDirectory(folder.get())) {
            folder.ifPresent(f -> LOG.debugf("edge.ui.samples %s is not a folder: no samples", f));
            return List.of();
        }
        try (Stream<java.nio.file.Path> files = Files.list(folder.get())) {
            return files.filter(Files::isRegularFile)
                    .map(f -> f.getFileName().toString())
                    .filter(name -> !name.startsWith(".") && type(name).isPresent())
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the samples folder " + folder.get(), e);
        }
    }

    @GET
    @Path("{name}")
    public Response image(@PathParam("name") String name) {
        if (!list().contains(name)) {
            throw new NotFoundException("no sample image named '" + name + "'");
        }
        try {
            byte[] bytes = Files.readAllBytes(folder.orElseThrow().resolve(name));
            return Response.ok(bytes, type(name).orElseThrow()).build();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the sample " + name, e);
        }
    }

    static Optional<String> type(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? Optional.empty()
                : Optional.ofNullable(TYPES.get(name.substring(dot + 1).toLowerCase(Locale.ROOT)));
    }
}
