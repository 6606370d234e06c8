package io.tlsguard.files;

import java.io.IOException;

/** A path that another user could write, replace or redirect; the message names the part and why. */
public final class UntrustedPathException extends IOException {
    private static final long serialVersionUID = 1L;

    public UntrustedPathException(String message) {
        super(message);
    }
}
