package edge.security;

import com.google.protobuf.ByteString;
import edge.api.grpc.v1.DetectRequest;
import edge.api.grpc.v1.DetectionServiceGrpc;
import edge.testing.Fixtures;
import edge.testing.RegistryServer;
import io.grpc.ManagedChannel;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** HTTPS and gRPC over TLS on the one port, from PEM files as a k3s TLS Secret provides them. */
@QuarkusTest
@TestProfile(TlsTest.WithCertificate.class)
class TlsTest {

    public static class WithCertificate implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                Path dir = Files.createTempDirectory(Path.of("target"), "tls");
                RegistryServer.Pem pem = RegistryServer.selfSigned(dir, "edge");
                return Map.of("quarkus.http.ssl.certificate.files", pem.certificate().toAbsolutePath().toString(),
                        "quarkus.http.ssl.certificate.key-files", pem.key().toAbsolutePath().toString(),
                        "quarkus.http.test-ssl-port", "0",
                        "quarkus.http.insecure-requests", "disabled",
                        "test.tls.certificate", pem.certificate().toAbsolutePath().toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @TestHTTPResource(value = "/", tls = true)
    URL secure;

    @Test
    void restAndGrpcAnswerOverTlsOnOnePort() throws Exception {
        String certificate = ConfigProvider.getConfig().getValue("test.tls.certificate", String.class);
        RestAssured.given().relaxedHTTPSValidation().baseUri("https://127.0.0.1").port(secure.getPort())
                .contentType("image/jpeg").body(Fixtures.imageBytes("bus.jpg")).post("/count")
                .then().statusCode(200).body("report", equalTo("person 4, bus 1"));

        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", secure.getPort())
                .sslContext(GrpcSslContexts.forClient().trustManager(new File(certificate)).build()).build();
        try {
            String report = DetectionServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                    .count(DetectRequest.newBuilder().setImage(ByteString.copyFrom(Fixtures.imageBytes("bus.jpg")))
                            .build()).getReport();
            assertEquals("person 4, bus 1", report);
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
