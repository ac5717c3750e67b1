package dev.corral.server.config;

/** A setting the server cannot honour; the message names the flag or variable and what is accepted. */
public final class ConfigException extends Exception {
    public ConfigException(String message) {
        super(message);
    }
}
