package edge.detect;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Reuses the direct buffers that hold input tensors (4.9 MB each at 640x640). A direct buffer's native memory is
 * only returned when the garbage collector happens to collect its small Java object, so allocating one per request
 * lets the process grow by hundreds of megabytes between collections; reusing them keeps it flat.
 */
public final class TensorPool {

    private final BlockingQueue<ByteBuffer> free;

    /** @param capacity most idle buffers kept (more can be in use; the extra ones are left to the collector) */
    public TensorPool(int capacity) {
        this.free = new ArrayBlockingQueue<>(capacity);
    }

    /** A native-order direct buffer of exactly {@code bytes} bytes, position 0. Its content is undefined. */
    public ByteBuffer take(int bytes) {
        ByteBuffer buffer = free.poll();
        while (buffer != null && buffer.capacity() != bytes) {
            // Sized for another model (before a swap): let it go.
            buffer = free.poll();
        }
        return buffer != null ? buffer.clear() : ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
    }

    public void give(ByteBuffer buffer) {
        free.offer(buffer);
    }
}
