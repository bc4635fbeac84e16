/**
 * What the OpenAPI document ({@code /q/openapi}) says once instead of on every operation: tags, security schemes and
 * the error answers (by name, {@code ref = ApiDoc.BAD_REQUEST}). Title, version and description are set in
 * application.properties. Documentation only: nothing here changes behaviour.
 */
@OpenAPIDefinition(
        info = @Info(title = "Edge detector API", version = "0.1.0"),
        tags = {
                @Tag(name = "Detection", description = "Detect, count and annotate one image"),
                @Tag(name = "Cameras",
                        description = "The latest counts, frames and live updates of configured cameras"),
                @Tag(name = "Samples", description = "The sample images of the web UI (edge.ui.samples)"),
                @Tag(name = "Models (admin)", description = "The model registry: status, pull, roll back, pin. "
                        + "Only the admin key (edge.admin.key) opens it, never an API key."),
                @Tag(name = "KServe v2", description = "The Open Inference Protocol over REST")},
        components = @Components(responses = {
                @APIResponse(name = ApiDoc.BAD_REQUEST, responseCode = "400",
                        description = "A bad request: empty body, bytes that are no image, a corrupt image, a bad "
                                + "parameter, a multipart body without an `image` file, malformed JSON.",
                        content = @Content(mediaType = "application/json",
                                schema = @Schema(implementation = ApiError.class))),
                @APIResponse(name = ApiDoc.UNAUTHORIZED, responseCode = "401",
                        description = "No valid key (the header WWW-Authenticate says which realm).",
                        headers = @Header(name = "WWW-Authenticate", schema = @Schema(type = SchemaType.STRING)),
                        content = @Content(mediaType = "application/json",
                                schema = @Schema(implementation = ApiError.class))),
                @APIResponse(name = ApiDoc.NOT_FOUND, responseCode = "404",
                        description = "No such camera, sample, model or model version.",
                        content = @Content(mediaType = "application/json",
                                schema = @Schema(implementation = ApiError.class))),
                @APIResponse(name = ApiDoc.CONFLICT, responseCode = "409",
                        description = "The operator action cannot be done now (no registry configured, nothing "
                                + "older to roll back to, a digest the registry does not have or that fails "
                                + "validation); the message says why.",
                        content = @Content(mediaType = "application/json",
                                schema = @Schema(implementation = ApiError.class))),
                @APIResponse(name = ApiDoc.PAYLOAD_TOO_LARGE, responseCode = "413",
                        description = "Body over edge.image.max-bytes (judged from Content-Length before it is read), "
                                + "or more pixels than edge.image.max-pixels (judged from the image header).",
                        content = @Content(mediaType = "application/json",
                                schema = @Schema(implementation = ApiError.class))),
                @APIResponse(name = ApiDoc.UNSUPPORTED_MEDIA_TYPE, responseCode = "415",
                        description = "A Content-Type that is not an image, or an image format the service does "
                                + "not decode (GIF, SVG).",
                        content = @Content(mediaType = "application/json",
                                schema = @Schema(implementation = ApiError.class))),
                @APIResponse(name = ApiDoc.TOO_MANY_REQUESTS, responseCode = "429",
                        description = "The inference queue is full (edge.batch.queue-size).",
                        headers = @Header(name = "Retry-After", description = "Seconds to wait",
                                schema = @Schema(type = SchemaType.INTEGER)),
                        content = @Content(mediaType = "application/json",
                                schema = @Schema(implementation = ApiError.class))),
                @APIResponse(name = ApiDoc.UNAVAILABLE, responseCode = "503",
                        description = "No model is loaded (with Retry-After), or the request waited longer than "
                                + "edge.batch.timeout for the model; the message says which.",
                        headers = @Header(name = "Retry-After",
                                description = "Seconds to wait (when no model is loaded)",
                                schema = @Schema(type = SchemaType.INTEGER)),
                        content = @Content(mediaType = "application/json",
                                schema = @Schema(implementation = ApiError.class)))
        },
        securitySchemes = {
                @SecurityScheme(securitySchemeName = ApiDoc.API_KEY, type = SecuritySchemeType.APIKEY,
                        in = SecuritySchemeIn.HEADER, apiKeyName = "X-API-Key",
                        description = "One of edge.api.keys. Needed only when keys are configured (without keys "
                                + "the service is open: bound to loopback, or edge.api.allow-anonymous=true). The "
                                + "admin key works too."),
                @SecurityScheme(securitySchemeName = ApiDoc.BEARER, type = SecuritySchemeType.HTTP,
                        scheme = "bearer",
                        description = "The same API key as Authorization: Bearer <key>."),
                @SecurityScheme(securitySchemeName = ApiDoc.ADMIN_KEY, type = SecuritySchemeType.HTTP,
                        scheme = "bearer",
                        description = "edge.admin.key as Authorization: Bearer <key>; with no admin key configured "
                                + "the admin API answers 401 to everything.")
        }))
package edge.api;

import edge.api.rest.ApiError;
import org.eclipse.microprofile.openapi.annotations.Components;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeIn;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

