package edge.api;

/** The names of the OpenAPI components declared in package-info.java, for the resources' annotations. */
public final class ApiDoc {

    public static final String API_KEY = "apiKey";
    public static final String BEARER = "bearer";
    public static final String ADMIN_KEY = "adminKey";

    public static final String BAD_REQUEST = "BadRequest";
    public static final String UNAUTHORIZED = "Unauthorized";
    public static final String NOT_FOUND = "NotFound";
    public static final String CONFLICT = "Conflict";
    public static final String PAYLOAD_TOO_LARGE = "PayloadTooLarge";
    public static final String UNSUPPORTED_MEDIA_TYPE = "UnsupportedMediaType";
    public static final String TOO_MANY_REQUESTS = "TooManyRequests";
    public static final String UNAVAILABLE = "Unavailable";

    private ApiDoc() {
    }
}
