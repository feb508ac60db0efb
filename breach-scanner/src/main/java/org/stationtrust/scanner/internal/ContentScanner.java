package org.stationtrust.scanner.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.stationtrust.scanner.Finding;

/**
 * Searches a stream of bytes for every signature and text rule, in fixed-size chunks that overlap by the
 * longest pattern, so memory stays bounded whatever the size of a file or a database cell.
 */
public final class ContentScanner {
    private static final int CHUNK = 1 << 20;
    private final PatternIndex patterns;
    private final int overlap;

    public ContentScanner(List<MaskedPattern> extra) {
        List<MaskedPattern> all = new ArrayList<>(Signatures.biometric());
        all.addAll(extra);
        this.patterns = new PatternIndex(all);
        this.overlap = Math.max(patterns.longest(), TextRules.LONGEST);
    }

    /** Scans the stream to its end and returns the number of bytes read. */
    public long scan(InputStream in, String location, Consumer<Finding> findings) throws IOException {
        byte[] buf = new byte[CHUNK + overlap];
        int len = 0;
        long base = 0;
        while (true) {
            int n = 0;
            while (len < buf.length && (n = in.read(buf, len, buf.length - len)) > 0) len += n;
            boolean eof = n < 0;
            int reportLimit = eof ? len : len - overlap;
            final long chunkBase = base;
            patterns.search(buf, 0, reportLimit, len,
                    (p, at) -> findings.accept(new Finding(location, p.kind(), p.describe(), chunkBase + at)));
            // ISO-8859-1 maps every byte to one char, so char indexes are byte offsets.
            TextRules.search(new String(buf, 0, len, StandardCharsets.ISO_8859_1), reportLimit,
                    (kind, at) -> findings.accept(new Finding(location, kind, "text", chunkBase + at)));
            if (eof) return base + len;
            System.arraycopy(buf, reportLimit, buf, 0, len - reportLimit);
            base += reportLimit;
            len -= reportLimit;
        }
    }

    /** Scans one value held in memory (a database cell). */
    public void scan(byte[] value, String location, Consumer<Finding> findings) {
        patterns.search(value, 0, value.length, value.length,
                (p, at) -> findings.accept(new Finding(location, p.kind(), p.describe(), at)));
        TextRules.search(new String(value, StandardCharsets.ISO_8859_1), value.length,
                (kind, at) -> findings.accept(new Finding(location, kind, "text", at)));
    }
}
