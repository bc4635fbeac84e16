package edge.camera;

import java.io.IOException;

/** Where a camera's frames come from. Each call returns one encoded image (JPEG, PNG...). */
public interface FrameSource extends AutoCloseable {

    /**
     * The newest frame.
     *
     * @throws IOException when the camera does not answer with an image (the message says what it did instead)
     */
    byte[] next() throws IOException;

    @Override
    default void close() {
    }
}
