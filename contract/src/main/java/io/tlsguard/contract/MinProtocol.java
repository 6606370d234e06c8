package io.tlsguard.contract;

/** The user's {@code min=}: the protocol floor. */
public enum MinProtocol {
    TLS_1_2("TLSv1.2"),
    TLS_1_3("TLSv1.3");

    private final String label;

    MinProtocol(String label) {
        this.label = label;
    }

    /** The JSSE protocol name: {@code TLSv1.2}, {@code TLSv1.3}. */
    public String label() {
        return label;
    }

    /** The floor a value names ({@code TLSv1.3} in any case, or just {@code 1.3}), or null. */
    public static MinProtocol fromLabel(String value) {
        String v = value.trim();
        for (MinProtocol m : values()) {
            if (m.label.equalsIgnoreCase(v)
                    || m.label.substring("TLSv".length()).equals(v)) {
                return m;
            }
        }
        return null;
    }
}
