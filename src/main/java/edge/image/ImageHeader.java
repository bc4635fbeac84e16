package edge.image;

import com.drew.imaging.FileType;
import com.drew.imaging.FileTypeDetector;
import com.drew.imaging.ImageMetadataReader;
import com.drew.imaging.ImageProcessingException;
import com.drew.imaging.jpeg.JpegMetadataReader;
import com.drew.metadata.Directory;
import com.drew.metadata.Metadata;
import com.drew.metadata.bmp.BmpHeaderDirectory;
import com.drew.metadata.exif.ExifIFD0Directory;
import com.drew.metadata.exif.ExifReader;
import com.drew.metadata.jpeg.JpegDirectory;
import com.drew.metadata.jpeg.JpegReader;
import com.drew.metadata.png.PngDirectory;
import com.drew.metadata.webp.WebpDirectory;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import java.util.Set;

/**
 * What an encoded image says about itself before it is decoded: its format, its size and its EXIF orientation.
 * The size is what the pixel limit is judged on, so a decompression bomb is refused without allocating its pixels.
 */
public record ImageHeader(FileType format, int width, int height, int orientation) {

    /** The formats the service decodes (OpenCV's codecs that also have a header reader here). */
    public static final Set<FileType> SUPPORTED = Set.of(FileType.Jpeg, FileType.Png, FileType.Bmp, FileType.WebP, FileType.Tiff);

    /** EXIF orientation 1: the pixels are stored upright. */
    public static final int UPRIGHT = 1;

    public long pixels() {
        return (long) width * height;
    }

    public static ImageHeader read(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            throw new ImageRejected(ImageRejected.Reason.EMPTY, "the image is empty (0 bytes)");
        }
        try (var in = new BufferedInputStream(new ByteArrayInputStream(bytes))) {
            FileType type = FileTypeDetector.detectFileType(in);
            if (type == FileType.Unknown) {
                throw new ImageRejected(ImageRejected.Reason.UNDECODABLE,
                        "not an image: the first bytes match no known image format (" + bytes.length + " bytes)");
            }
            if (!SUPPORTED.contains(type)) {
                throw new ImageRejected(ImageRejected.Reason.UNSUPPORTED_FORMAT,
                        type.getName() + " images are not supported; send JPEG, PNG, BMP, WebP or TIFF");
            }
            Metadata metadata = type == FileType.Jpeg
                    // Only the frame header and EXIF: a camera JPEG's other segments (ICC, XMP, thumbnails) cost
                    // about a millisecond to parse and say nothing we use.
                    ? JpegMetadataReader.readMetadata(in, List.of(new JpegReader(), new ExifReader()))
                    : ImageMetadataReader.readMetadata(in, bytes.length, type);
            int[] size = size(type, metadata);
            if (size == null || size[0] <= 0 || size[1] <= 0) {
                throw new ImageRejected(ImageRejected.Reason.UNDECODABLE,
                        "the " + type.getName() + " header does not state a valid image size");
            }
            return new ImageHeader(type, size[0], size[1], orientation(metadata));
        } catch (ImageProcessingException | IOException | RuntimeException e) {
            if (e instanceof ImageRejected rejected) {
                throw rejected;
            }
            throw new ImageRejected(ImageRejected.Reason.UNDECODABLE, "unreadable image header: " + e.getMessage());
        }
    }

    private static int[] size(FileType type, Metadata metadata) {
        return switch (type) {
            case Jpeg -> size(metadata.getFirstDirectoryOfType(JpegDirectory.class),
                    JpegDirectory.TAG_IMAGE_WIDTH, JpegDirectory.TAG_IMAGE_HEIGHT);
            case Png -> size(metadata.getFirstDirectoryOfType(PngDirectory.class),
                    PngDirectory.TAG_IMAGE_WIDTH, PngDirectory.TAG_IMAGE_HEIGHT);
            case Bmp -> size(metadata.getFirstDirectoryOfType(BmpHeaderDirectory.class),
                    BmpHeaderDirectory.TAG_IMAGE_WIDTH, BmpHeaderDirectory.TAG_IMAGE_HEIGHT);
            case WebP -> size(metadata.getFirstDirectoryOfType(WebpDirectory.class),
                    WebpDirectory.TAG_IMAGE_WIDTH, WebpDirectory.TAG_IMAGE_HEIGHT);
            case Tiff -> size(metadata.getFirstDirectoryOfType(ExifIFD0Directory.class),
                    ExifIFD0Directory.TAG_IMAGE_WIDTH, ExifIFD0Directory.TAG_IMAGE_HEIGHT);
            default -> null;
        };
    }

    private static int[] size(Directory directory, int widthTag, int heightTag) {
        if (directory == null || !directory.containsTag(widthTag) || !directory.containsTag(heightTag)) {
            return null;
        }
        Integer width = directory.getInteger(widthTag);
        Integer height = directory.getInteger(heightTag);
        if (width == null || height == null) {
            return null;
        }
        // BMP stores top-down images with a negative height.
        return new int[] {Math.abs(width), Math.abs(height)};
    }

    private static int orientation(Metadata metadata) {
        for (ExifIFD0Directory exif : metadata.getDirectoriesOfType(ExifIFD0Directory.class)) {
            Integer value = exif.getInteger(ExifIFD0Directory.TAG_ORIENTATION);
            if (value != null && value >= 1 && value <= 8) {
                return value;
            }
        }
        return UPRIGHT;
    }
}
