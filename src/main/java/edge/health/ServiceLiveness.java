package edge.health;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Startup;

/**
 * Live and started as soon as the process answers HTTP: a missing or refused model makes the service unready,
 * not dead, so that an orchestrator does not restart it in a loop while a model is being fetched.
 */
@Liveness
@Startup
@ApplicationScoped
public class ServiceLiveness implements HealthCheck {

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.up("service");
    }
}
