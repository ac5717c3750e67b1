package dev.corral.server.bundle;

import java.nio.file.Path;

/** A URL prefix (always ending in '/') served straight from a directory of the bundle, bypassing Python. */
public record StaticMount(String urlPrefix, Path directory) {
}
