package edge.deploy;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The service started with edge-config/factory-gateway/site.properties. */
@QuarkusTest
@TestProfile(SiteProfile.FactoryGateway.class)
class FactoryGatewayProfileTest extends SiteProfileChecks {

    @Override
    protected String site() {
        return "factory-gateway";
    }
}
