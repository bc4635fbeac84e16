package edge.api.rest;

/** The body of every error answer: {@code {"error": "...", "status": N}}. */
public record ApiError(String error, int status) {
}
