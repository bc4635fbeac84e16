package edge.web;

import edge.api.ApiDoc;
import edge.config.UiConfig;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
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
@Tag(name = "Samples")
@SecurityRequirement(name = ApiDoc.API_KEY)
@SecurityRequirement(name = ApiDoc.BEARER)
@APIResponse(responseCode = "401", ref = ApiDoc.UNAUTHORIZED)
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
    @Operation(summary = "The sample images' file names",
            description = "The image files (jpg, jpeg, png, bmp, webp, tif, tiff) in edge.ui.samples, by name; "
                    + "empty when it is unset.")
    @APIResponse(responseCode = "200", description = "File names, sorted", content = @Content(
            mediaType = "application/json", schema = @Schema(type = SchemaType.ARRAY, implementation = String.class)))
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
    @Operation(summary = "One sample image", description = "Served with the type of its extension.")
    @APIResponse(responseCode = "200", description = "The image", content = {
            @Content(mediaType = "image/jpeg", schema = @Schema(type = SchemaType.STRING, format = "binary")),
            @Content(mediaType = "image/png", schema = @Schema(type = SchemaType.STRING, format = "binary")),
            @Content(mediaType = "image/bmp", schema = @Schema(type = SchemaType.STRING, format = "binary")),
            @Content(mediaType = "image/webp", schema = @Schema(type = SchemaType.STRING, format = "binary")),
            @Content(mediaType = "image/tiff", schema = @Schema(type = SchemaType.STRING, format = "binary"))})
    @APIResponse(responseCode = "404", ref = ApiDoc.NOT_FOUND)
    public Response image(@Parameter(description = "A name GET /samples lists") @PathParam("name") String name) {
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
