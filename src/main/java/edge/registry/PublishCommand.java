package edge.registry;

import edge.model.LoadedModel;
import edge.model.ModelLoader;
import edge.model.ModelRejected;
import edge.registry.oci.OciWriter;
import edge.registry.oci.RegistryEndpoint;
import edge.registry.oci.RegistryException;
import edge.registry.sign.ModelSigner;

import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code publish MODEL.onnx --registry URL --repository REPO [--tag stable] --key SIGNING.pem ...}: checks that the
 * file is a YOLO model the service can serve, then pushes it with its config and signature (README, "Model
 * registry"). Registry credentials come from the environment, never from the command line.
 */
public final class PublishCommand {

    static final String USAGE = """
            usage: publish MODEL.onnx --registry URL --repository REPO [--tag TAG] (--key SIGNING.pem | --unsigned)
                           [--name NAME] [--version VERSION] [--canary 'NAME:class>=N,class>=N']... [--ca-file CA.pem]
                           [--username USER]   (password: env EDGE_REGISTRY_PASSWORD; token: env EDGE_REGISTRY_TOKEN)""";

    private PublishCommand() {
    }

    public static int run(List<String> args, PrintStream out) {
        Map<String, List<String>> options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException e) {
            out.println(e.getMessage());
            out.println(USAGE);
            return 2;
        }
        List<String> positional = options.getOrDefault("", List.of());
        Optional<String> registryUrl = one(options, "registry");
        Optional<String> repository = one(options, "repository");
        boolean unsigned = options.containsKey("unsigned");
        Optional<String> missing = missing(positional, registryUrl, repository, options.containsKey("key"), unsigned);
        if (missing.isPresent()) {
            out.println("publish: " + missing.get());
            out.println(USAGE);
            return 2;
        }
        Path model = Path.of(positional.get(0));
        try {
            ArtifactConfig config = describe(model, one(options, "name"), one(options, "version"),
                    options.getOrDefault("canary", List.of()));
            Optional<ModelSigner> signer = unsigned ? Optional.empty()
                    : Optional.of(ModelSigner.fromPem(Path.of(one(options, "key").get())));
            URI url = URI.create(registryUrl.get());
            OciWriter client = new OciWriter(new RegistryEndpoint(url, one(options, "username"),
                    Optional.ofNullable(System.getenv("EDGE_REGISTRY_PASSWORD")),
                    Optional.ofNullable(System.getenv("EDGE_REGISTRY_TOKEN")), one(options, "ca-file").map(Path::of),
                    Duration.ofSeconds(60)));
            String tag = one(options, "tag").orElse("stable");
            ModelPublisher.Published published = new ModelPublisher(client, ModelPublisher.host(url),
                    Clock.systemUTC()).publish(repository.get(), tag, model, config, signer);
            out.printf("published %s %s as %s:%s%n  digest %s%n  %s%n", config.name(), config.version(),
                    repository.get(), tag, published.digest(),
                    published.signatureTag().map(t -> "signature " + t).orElse("UNSIGNED (--unsigned)"));
            return 0;
        } catch (ModelRejected e) {
            out.println("not published: " + e.getMessage());
            return 1;
        } catch (RegistryException | IllegalArgumentException e) {
            out.println("not published: " + e.getMessage());
            return 1;
        } catch (Exception e) {
            out.println("not published: " + e);
            return 1;
        }
    }

    /** Loads the model as the service would, and writes down what it is. */
    static ArtifactConfig describe(Path model, Optional<String> name, Optional<String> version, List<String> canaries)
            throws ModelRejected {
        LoadedModel loaded = new ModelLoader(1).load(model, name);
        try {
            String v = version.orElse(loaded.info().version());
            if (v.equals("unversioned")) {
                throw new IllegalArgumentException("the model carries no version: give one with --version");
            }
            Map<String, Map<String, Integer>> expectations = new LinkedHashMap<>();
            for (String canary : canaries) {
                int colon = canary.indexOf(':');
                if (colon <= 0) {
                    throw new IllegalArgumentException("--canary must look like bus:person>=3,bus>=1, got " + canary);
                }
                expectations.put(canary.substring(0, colon),
                        ModelValidator.CanaryImage.parseExpect(canary.substring(colon + 1)));
            }
            return new ArtifactConfig(loaded.info().name(), v, loaded.contract().classNames(),
                    List.of(loaded.contract().inputWidth(), loaded.contract().inputHeight()), expectations);
        } finally {
            loaded.retire();
        }
    }

    /** What is wrong with the command line, in words, or empty when it is complete. */
    static Optional<String> missing(List<String> positional, Optional<String> registry, Optional<String> repository,
                                    boolean key, boolean unsigned) {
        if (positional.isEmpty()) {
            return Optional.of("which model? give the MODEL.onnx file to publish");
        }
        if (positional.size() > 1) {
            return Optional.of("one model at a time, got " + positional);
        }
        if (registry.isEmpty()) {
            return Optional.of("--registry URL is missing (e.g. --registry https://REGISTRY_HOST:5000)");
        }
        if (repository.isEmpty()) {
            return Optional.of("--repository REPO is missing (e.g. --repository vision/yolov8n)");
        }
        if (!key && !unsigned) {
            return Optional.of("--key SIGNING.pem is missing: boxes refuse unsigned models (make a key pair with "
                    + "keygen; --unsigned publishes without a signature, for boxes without edge.registry.public-key)");
        }
        if (key && unsigned) {
            return Optional.of("--key and --unsigned contradict each other: choose one");
        }
        return Optional.empty();
    }

    /** {@code --key value} pairs (repeatable), {@code --flag} alone, and the positional arguments under "". */
    private static Map<String, List<String>> parse(List<String> args) {
        Map<String, List<String>> options = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("--")) {
                options.computeIfAbsent("", k -> new ArrayList<>()).add(arg);
            } else if (arg.equals("--unsigned")) {
                options.put("unsigned", List.of());
            } else if (i + 1 < args.size()) {
                options.computeIfAbsent(arg.substring(2), k -> new ArrayList<>()).add(args.get(++i));
            } else {
                throw new IllegalArgumentException(arg + " needs a value");
            }
        }
        return options;
    }

    private static Optional<String> one(Map<String, List<String>> options, String key) {
        List<String> values = options.getOrDefault(key, List.of());
        return values.isEmpty() ? Optional.empty() : Optional.of(values.get(values.size() - 1));
    }
}
