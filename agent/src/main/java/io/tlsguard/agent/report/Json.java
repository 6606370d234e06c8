package io.tlsguard.agent.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import java.io.IOException;
import java.util.Locale;

/** Field helpers shared by the events: optional fields are omitted, not written as null. */
final class Json {
    private Json() {}

    /**
     * yyyy-MM-ddTHH:mm:ss.SSSZ in UTC, computed by hand: SimpleDateFormat or java.time would load a few
     * hundred classes (calendars, locale providers) into the host on its first event, at startup or exit.
     */
    static String iso(long millis) {
        // events come in bursts (many in one millisecond), and a client's carry the same certificate expiry
        Timestamp recent = recentTimestamp;
        if (recent != null && recent.millis == millis) {
            return recent.text;
        }
        Timestamp older = olderTimestamp;
        if (older != null && older.millis == millis) {
            return older.text;
        }
        String text = format(millis);
        olderTimestamp = recent;
        recentTimestamp = new Timestamp(millis, text);
        return text;
    }

    /** The last two timestamps formatted (any thread may format: immutable pairs, each replaced whole). */
    private static volatile Timestamp recentTimestamp;

    private static volatile Timestamp olderTimestamp;

    private static final class Timestamp {
        final long millis;
        final String text;

        Timestamp(long millis, String text) {
            this.millis = millis;
            this.text = text;
        }
    }

    private static String format(long millis) {
        long days = Math.floorDiv(millis, 86_400_000L);
        int msOfDay = (int) Math.floorMod(millis, 86_400_000L);
        // days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's civil_from_days)
        long z = days + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long dayOfEra = z - era * 146_097;
        long yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
        long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        long mp = (5 * dayOfYear + 2) / 153;
        int day = (int) (dayOfYear - (153 * mp + 2) / 5 + 1);
        int month = (int) (mp < 10 ? mp + 3 : mp - 9);
        long year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
        char[] out = new char[24];
        digits(out, 0, year, 4);
        out[4] = '-';
        digits(out, 5, month, 2);
        out[7] = '-';
        digits(out, 8, day, 2);
        out[10] = 'T';
        digits(out, 11, msOfDay / 3_600_000, 2);
        out[13] = ':';
        digits(out, 14, msOfDay / 60_000 % 60, 2);
        out[16] = ':';
        digits(out, 17, msOfDay / 1_000 % 60, 2);
        out[19] = '.';
        digits(out, 20, msOfDay % 1_000, 3);
        out[23] = 'Z';
        return year >= 0 && year <= 9999 ? new String(out) : String.valueOf(millis); // 4-digit years only
    }

    private static void digits(char[] out, int at, long value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            out[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }

    /**
     * Strings from the network (SNI, certificate names, exception messages) may hold anything. Jackson
     * escapes quotes and control characters; a lone surrogate would make invalid UTF-8, so it is replaced.
     */
    static String clean(String s) {
        if (s == null) {
            return null;
        }
        if (s.length() < MEMO_MIN_LENGTH || s.length() > MEMO_MAX_LENGTH) {
            return scan(s);
        }
        // by identity: lines repeat the same String objects (a certificate's names are made once per distinct
        // certificate, cipher suite names are constants); scanning them anew was a fifth of the writer's CPU
        int slot = System.identityHashCode(s) & (MEMO_SLOTS - 1);
        Cleaned known = MEMO[slot];
        if (known != null && known.text == s) {
            return known.cleaned;
        }
        String cleaned = scan(s);
        MEMO[slot] = new Cleaned(s, cleaned); // immutable pairs: a racing reader sees a whole one or another
        return cleaned;
    }

    private static final int MEMO_MIN_LENGTH = 32;
    /** Bounds what the memo keeps alive: at most 64 strings of at most 1,024 characters. */
    private static final int MEMO_MAX_LENGTH = 1024;

    private static final int MEMO_SLOTS = 64;
    private static final Cleaned[] MEMO = new Cleaned[MEMO_SLOTS];

    private static final class Cleaned {
        final String text;
        final String cleaned;

        Cleaned(String text, String cleaned) {
            this.text = text;
            this.cleaned = cleaned;
        }
    }

    private static String scan(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isSurrogate(c)) {
                boolean paired =
                        Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
                if (!paired) {
                    return replaceLoneSurrogates(s);
                }
                i++;
            }
        }
        return s;
    }

    private static String replaceLoneSurrogates(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                out.append(c).append(s.charAt(++i));
            } else {
                out.append(Character.isSurrogate(c) ? '\uFFFD' : c);
            }
        }
        return out.toString();
    }

    // the same helpers for field names encoded once (SerializedString): the handshake lines, the most frequent

    static void string(JsonGenerator json, SerializableString name, String value) throws IOException {
        if (value != null) {
            json.writeFieldName(name);
            json.writeString(clean(value));
        }
    }

    static void number(JsonGenerator json, SerializableString name, int value) throws IOException {
        if (value >= 0) {
            json.writeFieldName(name);
            json.writeNumber(value);
        }
    }

    static void bool(JsonGenerator json, SerializableString name, Boolean value) throws IOException {
        if (value != null) {
            json.writeFieldName(name);
            json.writeBoolean(value);
        }
    }

    static void strings(JsonGenerator json, SerializableString name, String[] values) throws IOException {
        if (values != null) {
            json.writeFieldName(name);
            json.writeStartArray();
            for (String v : values) {
                json.writeString(clean(v));
            }
            json.writeEndArray();
        }
    }

    /** A field always present, its value written as is (no cleaning: as writeStringField). */
    static void put(JsonGenerator json, SerializableString name, String value) throws IOException {
        json.writeFieldName(name);
        json.writeString(value);
    }

    static void put(JsonGenerator json, SerializableString name, boolean value) throws IOException {
        json.writeFieldName(name);
        json.writeBoolean(value);
    }

    static void put(JsonGenerator json, SerializableString name, long value) throws IOException {
        json.writeFieldName(name);
        json.writeNumber(value);
    }

    static void string(JsonGenerator json, String name, String value) throws IOException {
        if (value != null) {
            json.writeStringField(name, clean(value));
        }
    }

    static void number(JsonGenerator json, String name, int value) throws IOException {
        if (value >= 0) {
            json.writeNumberField(name, value);
        }
    }

    static void bool(JsonGenerator json, String name, Boolean value) throws IOException {
        if (value != null) {
            json.writeBooleanField(name, value);
        }
    }

    static void strings(JsonGenerator json, String name, String[] values) throws IOException {
        if (values != null) {
            json.writeArrayFieldStart(name);
            for (String v : values) {
                json.writeString(clean(v));
            }
            json.writeEndArray();
        }
    }

    /** tls.protocol.version: the numeric part of a JSSE name ("TLSv1.2" to "1.2", "SSLv3" to "3"). */
    static String protocolVersion(String protocol) {
        if (protocol == null) {
            return null;
        }
        switch (protocol) { // the names JSSE uses, without a substring each time (issue 14)
            case "TLSv1.3":
                return "1.3";
            case "TLSv1.2":
                return "1.2";
            case "TLSv1.1":
                return "1.1";
            case "TLSv1":
                return "1";
            default:
                break;
        }
        int v = protocol.indexOf('v');
        String version = v >= 0 ? protocol.substring(v + 1) : protocol;
        return version.equals("1.0") ? "1" : version;
    }

    /** tls.protocol.name: "ssl" or "tls" (lower case, as OpenTelemetry writes it). */
    static String protocolName(String protocol) {
        if (protocol == null) {
            return null;
        }
        if (protocol.startsWith("TLSv")) {
            return "tls";
        }
        int v = protocol.indexOf('v');
        return (v > 0 ? protocol.substring(0, v) : protocol).toLowerCase(Locale.ROOT);
    }

    /** tls.cipher: the IANA name; JSSE still calls some suites SSL_* (IANA: TLS_*). */
    static String ianaCipher(String cipher) {
        return cipher != null && cipher.startsWith("SSL_") ? "TLS_" + cipher.substring(4) : cipher;
    }
}
