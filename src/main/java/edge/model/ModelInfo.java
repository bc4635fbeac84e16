package edge.model;

/** Which model answered: what every response names, so a client can tell models apart across a swap. */
public record ModelInfo(String name, String version, String sha256) {
}
