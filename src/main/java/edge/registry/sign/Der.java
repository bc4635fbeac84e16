package edge.registry.sign;

import java.util.Map;

/**
 * Just enough DER to name what is inside a key file before the JDK sees it: the JDK's own errors for an RSA key
 * or an unsupported curve are not messages anyone can act on. Reads definite-length, single-byte-tag TLVs only,
 * which is all that key structures use.
 */
final class Der {

    static final int INTEGER = 0x02;
    static final int BIT_STRING = 0x03;
    static final int OCTET_STRING = 0x04;
    static final int OID = 0x06;
    static final int SEQUENCE = 0x30;
    static final int CONTEXT_0 = 0xA0;

    static final String OID_EC_PUBLIC_KEY = "1.2.840.10045.2.1";
    static final String OID_P256 = "1.2.840.10045.3.1.7";

    private static final Map<String, String> NAMES = Map.ofEntries(
            Map.entry(OID_EC_PUBLIC_KEY, "EC"),
            Map.entry("1.2.840.113549.1.1.1", "RSA"),
            Map.entry("1.2.840.113549.1.1.10", "RSA-PSS"),
            Map.entry("1.2.840.10040.4.1", "DSA"),
            Map.entry("1.3.101.110", "X25519"),
            Map.entry("1.3.101.111", "X448"),
            Map.entry("1.3.101.112", "Ed25519"),
            Map.entry("1.3.101.113", "Ed448"),
            Map.entry(OID_P256, "P-256 (prime256v1)"),
            Map.entry("1.3.132.0.34", "P-384 (secp384r1)"),
            Map.entry("1.3.132.0.35", "P-521 (secp521r1)"),
            Map.entry("1.3.132.0.10", "secp256k1"),
            Map.entry("1.2.840.10045.3.1.1", "P-192 (prime192v1)"),
            Map.entry("1.3.132.0.33", "P-224 (secp224r1)"),
            Map.entry("1.3.36.3.3.2.8.1.1.7", "brainpoolP256r1"));

    /** One element: its tag and where its contents are in {@code data}. */
    record Tlv(int tag, byte[] data, int start, int end) {

        Der.Reader contents() {
            return new Der.Reader(data, start, end);
        }

        byte[] bytes() {
            byte[] out = new byte[end - start];
            System.arraycopy(data, start, out, 0, out.length);
            return out;
        }

        String oid() throws MalformedDer {
            if (tag != OID || end == start) {
                throw new MalformedDer("expected an object identifier");
            }
            StringBuilder text = new StringBuilder();
            long value = 0;
            boolean first = true;
            for (int i = start; i < end; i++) {
                int b = data[i] & 0xff;
                if (value > (Long.MAX_VALUE >> 7)) {
                    throw new MalformedDer("object identifier component too large");
                }
                value = (value << 7) | (b & 0x7f);
                if ((b & 0x80) == 0) {
                    if (first) {
                        long top = Math.min(value / 40, 2);
                        text.append(top).append('.').append(value - top * 40);
                        first = false;
                    } else {
                        text.append('.').append(value);
                    }
                    value = 0;
                } else if (i == end - 1) {
                    throw new MalformedDer("truncated object identifier");
                }
            }
            return text.toString();
        }
    }

    static final class Reader {
        private final byte[] data;
        private int pos;
        private final int end;

        Reader(byte[] data) {
            this(data, 0, data.length);
        }

        Reader(byte[] data, int start, int end) {
            this.data = data;
            this.pos = start;
            this.end = end;
        }

        boolean hasMore() {
            return pos < end;
        }

        int peekTag() throws MalformedDer {
            if (pos >= end) {
                throw new MalformedDer("unexpected end of data");
            }
            return data[pos] & 0xff;
        }

        Tlv next() throws MalformedDer {
            int tag = peekTag();
            if ((tag & 0x1f) == 0x1f) {
                throw new MalformedDer("multi-byte tags are not used in keys");
            }
            int p = pos + 1;
            if (p >= end) {
                throw new MalformedDer("truncated length");
            }
            int first = data[p++] & 0xff;
            long length;
            if (first < 0x80) {
                length = first;
            } else {
                int count = first & 0x7f;
                if (count == 0 || count > 4) {
                    throw new MalformedDer(count == 0 ? "indefinite length is not DER" : "length too large");
                }
                if (p + count > end) {
                    throw new MalformedDer("truncated length");
                }
                length = 0;
                for (int i = 0; i < count; i++) {
                    length = (length << 8) | (data[p++] & 0xff);
                }
            }
            if (length > end - p) {
                throw new MalformedDer("element longer than its container");
            }
            Tlv tlv = new Tlv(tag, data, p, p + (int) length);
            pos = p + (int) length;
            return tlv;
        }

        Tlv next(int expectedTag, String what) throws MalformedDer {
            Tlv tlv = next();
            if (tlv.tag() != expectedTag) {
                throw new MalformedDer(String.format("expected %s (tag 0x%02x), found tag 0x%02x", what, expectedTag,
                        tlv.tag()));
            }
            return tlv;
        }
    }

    /** The DER could not be read; the message says where it stopped making sense. */
    static final class MalformedDer extends Exception {
        private static final long serialVersionUID = 1L;

        MalformedDer(String message) {
            super(message);
        }
    }

    /** A readable name for a key algorithm or curve identifier, with the dotted form for the unknown ones. */
    static String name(String oid) {
        String name = NAMES.get(oid);
        return name == null ? "OID " + oid : name;
    }

    private Der() {
    }
}
