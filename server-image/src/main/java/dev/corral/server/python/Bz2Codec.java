package dev.corral.server.python;

import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.graalvm.polyglot.HostAccess;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * bzip2 for Python's {@code bz2} module, which GraalPy 25.0.3 embedded cannot serve (fenced: no
 * {@code _bz2}; with native access its compressor dies with a NullPointerException Python cannot
 * catch). Done by Apache Commons Compress, already the server's for bundle archives;
 * {@code corral_fence.py} builds {@code _bz2}'s BZ2Compressor and BZ2Decompressor on it. Bytes cross
 * as Latin-1 strings, one char per byte (GraalPy reads a Java byte[] as signed numbers). Stateless.
 */
public final class Bz2Codec {
    /** One whole bzip2 stream of {@code data} at {@code level} (1-9). */
    @HostAccess.Export
    public String compress(String data, int level) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (BZip2CompressorOutputStream bzip2 = new BZip2CompressorOutputStream(out, level)) {
            bzip2.write(data.getBytes(StandardCharsets.ISO_8859_1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    /**
     * The first bzip2 stream in {@code data}: {@code [decompressed, bytes of data it took]}, or null when
     * {@code data} ends before the stream does (more input needed). A corrupt stream throws
     * IllegalArgumentException, whose message Python gets as OSError's.
     */
    @HostAccess.Export
    public String[] decompressFirstStream(String data) {
        byte[] bytes = data.getBytes(StandardCharsets.ISO_8859_1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (BZip2CompressorInputStream bzip2 = new BZip2CompressorInputStream(new ByteArrayInputStream(bytes), false)) {
            bzip2.transferTo(out);
            return new String[]{out.toString(StandardCharsets.ISO_8859_1), Long.toString(bzip2.getCompressedCount())};
        } catch (IOException e) {
            if (isTruncation(e)) {
                return null;
            }
            throw new IllegalArgumentException("Invalid data stream", e);
        }
    }

    /**
     * Whether {@code data} holds bzip2's end-of-stream marker (the 48 bits 0x177245385090, at any bit
     * offset): only then can a stream end in it, so a decompressor fed block by block tries to finish
     * the stream only when this says it may, not on every block.
     */
    @HostAccess.Export
    public boolean holdsEndMarker(String data) {
        long window = 0;
        int bits = 0;
        for (int i = 0; i < data.length(); i++) {
            int b = data.charAt(i) & 0xFF;
            for (int bit = 7; bit >= 0; bit--) {
                window = ((window << 1) | ((b >> bit) & 1)) & 0xFFFF_FFFF_FFFFL;
                if (++bits >= 48 && window == END_OF_STREAM) {
                    return true;
                }
            }
        }
        return false;
    }

    private static final long END_OF_STREAM = 0x1772_4538_5090L;

    private static boolean isTruncation(IOException e) {
        String message = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
        return e instanceof java.io.EOFException || message.contains("eof") || message.contains("truncated")
                || message.contains("unexpected end");
    }
}
