package dev.corral.server.cgroup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reading the small text files cgroupfs exposes: single numbers and "key value" tables. */
final class CgroupFiles {
    /** v1 writes this (or a page-rounded neighbour) when there is no limit. */
    private static final long V1_UNLIMITED = Long.MAX_VALUE - 8192;

    private CgroupFiles() {
    }

    /** A file holding one number, or "max"; -1 for no limit or a missing file. */
    static long number(Path file) throws IOException {
        String text;
        try {
            text = Files.readString(file).trim();
        } catch (NoSuchFileException e) {
            return -1;
        }
        if (text.equals("max") || text.isEmpty()) {
            return -1;
        }
        long value = Long.parseLong(text);
        return value >= V1_UNLIMITED ? -1 : value;
    }

    /** The value for {@code key} in a "key value" per line file, or -1 when absent. */
    static long field(Path file, String key) throws IOException {
        try {
            for (String line : Files.readAllLines(file)) {
                int space = line.indexOf(' ');
                if (space > 0 && line.substring(0, space).equals(key)) {
                    return Long.parseLong(line.substring(space + 1).trim());
                }
            }
        } catch (NoSuchFileException e) {
            return -1;
        }
        return -1;
    }
}
