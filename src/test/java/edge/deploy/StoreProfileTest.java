package edge.deploy;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The service started with edge-config/store/site.properties. */
@QuarkusTest
@TestProfile(SiteProfile.Store.class)
class StoreProfileTest extends SiteProfileChecks {

    @Override
    protected String site() {
        return "store";
    }
}
