package edge.scene;

/**
 * Decides whether two thumbnails show the same scene: the fingerprints must be close (cheap), the whole thumbnails
 * must correlate (normalised cross-correlation, which tolerates noise and brightness drift), and no block may
 * differ much (so that a person entering 2-3 % of the frame is a change even when the global correlation stays
 * high).
 *
 * @param minCorrelation      NCC of the normalised thumbnails at or above which they may be the same scene
 * @param maxBlockDifference  largest mean absolute difference of any 8x8 block, in standard deviations of the frame
 * @param maxFingerprintBits  most differing fingerprint bits for a scene to be a candidate at all
 */
public record SceneMatcher(double minCorrelation, double maxBlockDifference, int maxFingerprintBits) {

    /** How two thumbnails compare, for decisions and for the benchmark that tunes the thresholds. */
    public record Comparison(int fingerprintBits, double correlation, double worstBlock, boolean same) {
    }

    public boolean candidate(Thumbnail a, Thumbnail b) {
        return Long.bitCount(a.fingerprint() ^ b.fingerprint()) <= maxFingerprintBits;
    }

    public Comparison compare(Thumbnail a, Thumbnail b) {
        int bits = Long.bitCount(a.fingerprint() ^ b.fingerprint());
        if (bits > maxFingerprintBits) {
            return new Comparison(bits, Double.NaN, Double.NaN, false);
        }
        float[] p = a.pixels();
        float[] q = b.pixels();
        int side = a.side();
        int block = side / Thumbnail.GRID;
        double dot = 0;
        double[] blockDiff = new double[Thumbnail.GRID * Thumbnail.GRID];
        for (int y = 0; y < side; y++) {
            int row = (y / block) * Thumbnail.GRID;
            for (int x = 0; x < side; x++) {
                int i = y * side + x;
                dot += p[i] * q[i];
                blockDiff[row + x / block] += Math.abs(p[i] - q[i]);
            }
        }
        double correlation = dot / p.length;
        double worst = 0;
        for (double d : blockDiff) {
            worst = Math.max(worst, d / (block * block));
        }
        boolean same = correlation >= minCorrelation && worst <= maxBlockDifference;
        return new Comparison(bits, correlation, worst, same);
    }
}
