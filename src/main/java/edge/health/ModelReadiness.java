package edge.health;

import edge.model.ModelService;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/** Ready once a model is loaded and warmed; the data name it, or say why there is none. */
@Readiness
@ApplicationScoped
public class ModelReadiness implements HealthCheck {

    private final ModelService models;

    public ModelReadiness(ModelService models) {
        this.models = models;
    }

    @Override
    public HealthCheckResponse call() {
        ModelService.Status status = models.status();
        HealthCheckResponseBuilder builder = HealthCheckResponse.named("model");
        status.model().ifPresentOrElse(
                model -> builder.up().withData("name", model.name()).withData("version", model.version())
                        .withData("sha256", model.sha256()),
                () -> builder.down().withData("reason", status.problem()));
        return builder.build();
    }
}
