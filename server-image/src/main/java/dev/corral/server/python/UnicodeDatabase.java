package dev.corral.server.python;

import org.graalvm.polyglot.HostAccess;
import org.graalvm.shadowed.com.ibm.icu.lang.UCharacter;
import org.graalvm.shadowed.com.ibm.icu.lang.UProperty;
import org.graalvm.shadowed.com.ibm.icu.text.Normalizer2;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The character properties GraalPy 25.0 serves only from its native {@code _cpython_unicodedata}
 * module ({@code combining}, {@code east_asian_width}, {@code decomposition}, {@code numeric},
 * {@code digit}, {@code decimal}, {@code mirrored}, {@code lookup}), answered from the ICU4J data
 * GraalPy's own {@code unicodedata.category} and {@code normalize} use, so both halves speak the same
 * Unicode version. A fenced worker may not load native modules; {@code corral_fence.py} puts these
 * in {@code unicodedata} instead. Stateless, so one instance serves every context.
 */
public final class UnicodeDatabase {
    private static final int NO_VALUE = -1;
    /** {@code unicodedata.decomposition}'s tag per ICU decomposition type (index = type; 0 none, 1 canonical). */
    private static final String[] TAGS = {"", "", "<compat>", "<circle>", "<final>", "<font>", "<fraction>", "<initial>",
            "<isolated>", "<medial>", "<narrow>", "<noBreak>", "<small>", "<square>", "<sub>", "<super>", "<vertical>", "<wide>"};
    /** {@code unicodedata.east_asian_width}'s names per ICU value (neutral, ambiguous, half, full, narrow, wide). */
    private static final String[] WIDTHS = {"N", "A", "H", "F", "Na", "W"};
    private static final int HANGUL_FIRST = 0xAC00;
    private static final int HANGUL_LAST = 0xD7A3;

    private final Normalizer2 canonical = Normalizer2.getNFDInstance();
    private final Normalizer2 compatible = Normalizer2.getNFKDInstance();
    private final String ucd320Tables = resource("corral_ucd_3_2_0.py");

    @HostAccess.Export
    public int combining(int code) {
        return UCharacter.getCombiningClass(code);
    }

    @HostAccess.Export
    public String eastAsianWidth(int code) {
        return WIDTHS[UCharacter.getIntPropertyValue(code, UProperty.EAST_ASIAN_WIDTH)];
    }

    @HostAccess.Export
    public boolean mirrored(int code) {
        return UCharacter.isMirrored(code);
    }

    /** As CPython writes it: {@code "<compat> 0066 0069"}, {@code "0065 0301"}; empty for none and for Hangul syllables. */
    @HostAccess.Export
    public String decomposition(int code) {
        if (code >= HANGUL_FIRST && code <= HANGUL_LAST) {
            return "";
        }
        int type = UCharacter.getIntPropertyValue(code, UProperty.DECOMPOSITION_TYPE);
        if (type == 0) {
            return "";
        }
        String mapping = type == 1 ? canonical.getRawDecomposition(code) : compatible.getRawDecomposition(code);
        if (mapping == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(TAGS[type]);
        mapping.codePoints().forEach(c -> {
            if (!out.isEmpty()) {
                out.append(' ');
            }
            out.append(String.format(java.util.Locale.ROOT, "%04X", c));
        });
        return out.toString();
    }

    /** The numeric value, or NaN when the character has none. */
    @HostAccess.Export
    public double numeric(int code) {
        double value = UCharacter.getUnicodeNumericValue(code);
        return value == UCharacter.NO_NUMERIC_VALUE ? Double.NaN : value;
    }

    /** The digit value (decimal digits and other digits such as superscripts), or -1. */
    @HostAccess.Export
    public int digit(int code) {
        int type = UCharacter.getIntPropertyValue(code, UProperty.NUMERIC_TYPE);
        return type == UCharacter.NumericType.DECIMAL || type == UCharacter.NumericType.DIGIT ? (int) numeric(code) : NO_VALUE;
    }

    /** The decimal digit value, or -1. */
    @HostAccess.Export
    public int decimal(int code) {
        return UCharacter.getIntPropertyValue(code, UProperty.NUMERIC_TYPE) == UCharacter.NumericType.DECIMAL ? (int) numeric(code) : NO_VALUE;
    }

    /** The code point of a character name or, when {@code aliases}, a name alias; -1 when there is none. */
    @HostAccess.Export
    public int lookup(String name, boolean aliases) {
        int code = UCharacter.getCharFromName(name);
        if (code < 0 && aliases) {
            code = UCharacter.getCharFromNameAlias(name);
        }
        return code;
    }

    /** Python source of the Unicode 3.2.0 tables behind {@code unicodedata.ucd_3_2_0} (IDNA 2003, stringprep). */
    @HostAccess.Export
    public String ucd320Tables() {
        return ucd320Tables;
    }

    private static String resource(String name) {
        try (InputStream in = UnicodeDatabase.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " missing from the server jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
