package edge.config;

import io.smallrye.config.ConfigSourceInterceptor;
import io.smallrye.config.ConfigSourceInterceptorContext;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.Priorities;
import io.smallrye.config.SysPropConfigSource;
import jakarta.annotation.Priority;
import org.eclipse.microprofile.config.spi.ConfigSource;

import java.util.HashMap;

/**
 * Makes a site profile loaded with {@code quarkus.config.locations} rank below environment variables and system
 * properties: profile &lt; environment &lt; system properties, the order edge-config/README.md promises and a fleet
 * relies on (the canary DaemonSet sets {@code EDGE_REGISTRY_TAG=canary} over a profile that says {@code stable}).
 * <p>
 * Why this exists: SmallRye Config gives the files named by {@code quarkus.config.locations} the ordinal of the
 * source that named them (AbstractLocationConfigSourceFactory: {@code value.getConfigSourceOrdinal()}). Named by an
 * environment variable, as on k3s, the profile gets 300 like the environment itself and wins the tie; named by
 * {@code -D}, it gets 400 and beats even {@code -D}. No setting changes that, so this interceptor breaks exactly
 * those ties: when the value found comes from a properties file whose ordinal equals the environment's or the system
 * properties' (an inherited ordinal; a file that sets its own {@code config_ordinal} to anything else is left as it
 * asked), a system property, else an environment variable of the same name wins.
 * <p>
 * Registered through META-INF/services; the low priority puts it next to the sources, below the profile
 * ({@code %prod.}) and expression interceptors, so it sees every concrete name those look up.
 */
@Priority(Priorities.PLATFORM)
public class ProfilePrecedence implements ConfigSourceInterceptor {

    private static final String FILE_SOURCE = "PropertiesConfigSource[source=";

    private final ConfigSource environment;
    private final ConfigSource systemProperties;

    /** The process environment and system properties, as SmallRye reads them. */
    public ProfilePrecedence() {
        this(new EnvConfigSource(new HashMap<>(System.getenv()), EnvConfigSource.ORDINAL), new SysPropConfigSource());
    }

    ProfilePrecedence(ConfigSource environment, ConfigSource systemProperties) {
        this.environment = environment;
        this.systemProperties = systemProperties;
    }

    @Override
    public ConfigValue getValue(ConfigSourceInterceptorContext context, String name) {
        ConfigValue found = context.proceed(name);
        if (found == null || !fromProfileTie(found)) {
            return found;
        }
        // A profiled name (%prod.x) in the file is still the file's: the plain name set outside overrides it too.
        String plain = name.startsWith("%") && name.indexOf('.') > 0 ? name.substring(name.indexOf('.') + 1) : name;
        for (ConfigSource outside : new ConfigSource[] {systemProperties, environment}) {
            ConfigValue over = lookup(outside, name, found);
            if (over == null && !plain.equals(name)) {
                over = lookup(outside, plain, found);
            }
            if (over != null) {
                return over;
            }
        }
        return found;
    }

    /** A value from a properties file that inherited the environment's or the system properties' ordinal. */
    private boolean fromProfileTie(ConfigValue value) {
        String source = value.getConfigSourceName();
        int ordinal = value.getConfigSourceOrdinal();
        return source != null && source.startsWith(FILE_SOURCE)
                && (ordinal == environment.getOrdinal() || ordinal == systemProperties.getOrdinal());
    }

    /** The outside value as if found first: it wins ties with the file in the profile interceptor as well. */
    private static ConfigValue lookup(ConfigSource source, String name, ConfigValue found) {
        String value = source.getValue(name);
        if (value == null) {
            return null;
        }
        return found.from().withValue(value).withRawValue(value).withConfigSourceName(source.getName())
                .withConfigSourceOrdinal(source.getOrdinal()).withConfigSourcePosition(-1).withLineNumber(-1).build();
    }
}
