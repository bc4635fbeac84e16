package edge.detect;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * Letterbox geometry against Ultralytics' LetterBox: r = min(H/h, W/w); new size (round(w*r), round(h*r)) with
 * Python's round (half to even); dw, dh = (W - newW)/2, (H - newH)/2; left = round(dw - 0.1), right =
 * round(dw + 0.1), top = round(dh - 0.1), bottom = round(dh + 0.1).
 */
class LetterboxTest {

    /** Ultralytics' right/bottom padding, computed independently of the class under test. */
    private static int after(int dst, int resized) {
        return (int) Math.rint((dst - resized) / 2.0 + 0.1);
    }

    @Test
    void busPortraitInto640() {
        Letterbox lb = Letterbox.fit(810, 1080, 640, 640);
        assertAll(
                () -> assertEquals(0.5925926, lb.scale(), 1e-7),
                () -> assertEquals(480, lb.resizedWidth()),
                () -> assertEquals(640, lb.resizedHeight()),
                () -> assertEquals(80, lb.padLeft()),
                () -> assertEquals(0, lb.padTop()),
                () -> assertEquals(640, lb.padLeft() + lb.resizedWidth() + after(640, lb.resizedWidth())));
    }

    @Test
    void zidaneLandscapeInto640() {
        Letterbox lb = Letterbox.fit(1280, 720, 640, 640);
        assertAll(
                () -> assertEquals(0.5, lb.scale(), 0.0),
                () -> assertEquals(640, lb.resizedWidth()),
                () -> assertEquals(360, lb.resizedHeight()),
                () -> assertEquals(0, lb.padLeft()),
                () -> assertEquals(140, lb.padTop()));
    }

    @Test
    void oddTotalPaddingPutsTheSmallerHalfBefore() {
        // scale 1, 635 wide: dw = 2.5 -> left = round(2.4) = 2, right = round(2.6) = 3
        Letterbox lb = Letterbox.fit(635, 640, 640, 640);
        assertEquals(1.0, lb.scale(), 0.0);
        assertEquals(635, lb.resizedWidth());
        assertEquals(640, lb.resizedHeight());
        assertEquals(2, lb.padLeft());
        assertEquals(3, after(640, lb.resizedWidth()));
        assertEquals(640, lb.padLeft() + lb.resizedWidth() + after(640, lb.resizedWidth()));
        assertEquals(0, lb.padTop());
    }

    @Test
    void halfPixelOfPaddingGoesAfter() {
        // 641 high: newH = round(640 * 640/641) = 639, dh = 0.5 -> top = round(0.4) = 0, bottom = round(0.6) = 1
        Letterbox lb = Letterbox.fit(640, 641, 640, 640);
        assertEquals(639, lb.resizedWidth());
        assertEquals(640, lb.resizedHeight());
        assertEquals(0, lb.padLeft());
        assertEquals(640, lb.padLeft() + lb.resizedWidth() + after(640, lb.resizedWidth()));
        Letterbox tall = Letterbox.fit(641, 640, 640, 640);
        assertEquals(640, tall.resizedWidth());
        assertEquals(639, tall.resizedHeight());
        assertEquals(0, tall.padTop());
        assertEquals(640, tall.padTop() + tall.resizedHeight() + after(640, tall.resizedHeight()));
    }

    @Test
    void target320() {
        Letterbox bus = Letterbox.fit(810, 1080, 320, 320);
        assertEquals(320.0 / 1080, bus.scale(), 1e-12);
        assertEquals(240, bus.resizedWidth());
        assertEquals(320, bus.resizedHeight());
        assertEquals(40, bus.padLeft());
        assertEquals(0, bus.padTop());

        Letterbox zidane = Letterbox.fit(1280, 720, 320, 320);
        assertEquals(0.25, zidane.scale(), 0.0);
        assertEquals(320, zidane.resizedWidth());
        assertEquals(180, zidane.resizedHeight());
        assertEquals(0, zidane.padLeft());
        assertEquals(70, zidane.padTop());
    }

    @Test
    void roundHalfToEvenOnTheResizedSize() {
        // 721 * 0.5 = 360.5 exactly: Python's round gives 360 (half-up would give 361 and top 139)
        Letterbox lb = Letterbox.fit(1280, 721, 640, 640);
        assertEquals(360, lb.resizedHeight());
        assertEquals(140, lb.padTop());
        // 722 * 0.25 = 180.5 -> 180; 726 * 0.25 = 181.5 -> 182
        Letterbox down = Letterbox.fit(1280, 722, 320, 320);
        assertEquals(180, down.resizedHeight());
        assertEquals(70, down.padTop());
        Letterbox up = Letterbox.fit(1280, 726, 320, 320);
        assertEquals(182, up.resizedHeight());
        assertEquals(69, up.padTop());
        // and on the width: 641 * 0.5 = 320.5 -> 320, dw = 160
        Letterbox wide = Letterbox.fit(641, 1280, 640, 640);
        assertEquals(0.5, wide.scale(), 0.0);
        assertEquals(320, wide.resizedWidth());
        assertEquals(160, wide.padLeft());
    }

    @Test
    void nonSquareTargetUsesBothAxes() {
        // W=640, H=384: r = min(384/720, 640/1280) = 0.5
        Letterbox lb = Letterbox.fit(1280, 720, 640, 384);
        assertEquals(0.5, lb.scale(), 0.0);
        assertEquals(640, lb.resizedWidth());
        assertEquals(360, lb.resizedHeight());
        assertEquals(0, lb.padLeft());
        assertEquals(12, lb.padTop());
    }

    @Test
    void toSourceMapsBack() {
        Letterbox lb = Letterbox.fit(810, 1080, 640, 640);
        double r = lb.scale();
        Box b = lb.toSource((float) (80 + 100 * r), (float) (200 * r), (float) (80 + 300 * r), (float) (400 * r));
        assertEquals(100, b.x1(), 1e-3);
        assertEquals(200, b.y1(), 1e-3);
        assertEquals(300, b.x2(), 1e-3);
        assertEquals(400, b.y2(), 1e-3);

        Letterbox z = Letterbox.fit(1280, 720, 640, 640);
        Box zb = z.toSource(270, 295, 370, 345);
        assertEquals(new Box(540, 310, 740, 410), zb);
    }

    @Test
    void toSourceClipsToTheImage() {
        Letterbox lb = Letterbox.fit(810, 1080, 640, 640);
        // x1 in the left padding, x2 and y2 past the image, y1 above the input
        Box b = lb.toSource(10, -10, 700, 650);
        assertEquals(0f, b.x1());
        assertEquals(0f, b.y1());
        assertEquals(810f, b.x2());
        assertEquals(1080f, b.y2());

        Letterbox z = Letterbox.fit(1280, 720, 640, 640);
        Box inPadding = z.toSource(-10, 130, 50, 170); // top band is padding (0..140)
        assertEquals(0f, inPadding.x1());
        assertEquals(0f, inPadding.y1());
        assertEquals(100f, inPadding.x2(), 1e-4);
        assertEquals(60f, inPadding.y2(), 1e-4);
    }

    @Test
    void identityWhenSizesMatch() {
        Letterbox lb = Letterbox.fit(320, 240, 320, 240);
        assertEquals(1.0, lb.scale(), 0.0);
        assertEquals(0, lb.padLeft());
        assertEquals(0, lb.padTop());
        assertEquals(new Box(1.5f, 2.5f, 30f, 40f), lb.toSource(1.5f, 2.5f, 30f, 40f));
    }

    @Test
    void rejectsNonPositiveSizes() {
        assertThrows(IllegalArgumentException.class, () -> Letterbox.fit(0, 10, 640, 640));
        assertThrows(IllegalArgumentException.class, () -> Letterbox.fit(10, 10, 640, -1));
    }
}
