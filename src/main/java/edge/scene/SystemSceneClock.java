package edge.scene;

import jakarta.inject.Singleton;

/** The scene cache's time in production: {@link System#nanoTime}. */
@Singleton
class SystemSceneClock implements SceneClock {

    @Override
    public long nanos() {
        return System.nanoTime();
    }
}
