package edge.health;

import edge.model.ModelService;
import edge.registry.ModelRepository;
import edge.registry.RegistryStatus;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once a model is loaded and warmed, and through every swap after that (the old model serves until the new
 * one is warm); the data name it and its manifest digest, or say why there is none, and the last registry pull.
 */
@Readiness
@ApplicationScoped
public class ModelReadiness implements HealthCheck {

    private final ModelService models;
    private final ModelRepository repository;

    public ModelReadiness(ModelService models, ModelRepository repository) {
        this.models = models;
        this.repository = repository;
    }

    @Override
    public HealthCheckResponse call() {
        ModelService.Status status = models.status();
        HealthCheckResponseBuilder builder = HealthCheckResponse.named("model");
        status.model().ifPresentOrElse(
                model -> builder.up().withData("name", model.name()).withData("version", model.version())
                        .withData("sha256", model.sha256()),
                () -> builder.down().withData("reason", status.problem()));
        RegistryStatus.Serving serving = repository.serving();
        if (serving != null && serving.digest() != null) {
            builder.withData("digest", serving.digest()).withData("source", serving.source().toString());
        }
        repository.pinned().ifPresent(digest -> builder.withData("pinned", digest));
        RegistryStatus.Following following = repository.following();
        if (following != null) {
            // Which channel this box follows, as configured after profile, environment and system properties.
            builder.withData("following", following.registry() + "/" + following.repository() + ":" + following.tag())
                    .withData("store", following.store());
        }
        RegistryStatus.PullResult pull = repository.lastPull();
        if (pull != null) {
            builder.withData("lastPull", pull.outcome() + " at " + pull.at());
            if (pull.failed()) {
                builder.withData("lastPullError", pull.reason() + ": " + pull.message());
            }
        }
        return builder.build();
    }
}
