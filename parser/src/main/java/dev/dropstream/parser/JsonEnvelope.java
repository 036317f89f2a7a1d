package dev.dropstream.parser;

import java.nio.charset.StandardCharsets;

/**
 * Reads the one-line JSON envelopes that carry kernel lines: {@code journalctl -o json} records
 * ({@code MESSAGE}, {@code _HOSTNAME}, {@code __REALTIME_TIMESTAMP}, {@code _SOURCE_MONOTONIC_TIMESTAMP};
 * a non-UTF-8 {@code MESSAGE} comes as an array of byte values), and the events of Vector, Fluent Bit,
 * Filebeat and rsyslog JSON templates ({@code message}, {@code log} or {@code msg}; a host under {@code host},
 * {@code hostname}, {@code host.name}, {@code syslog_hostname} or {@code fromhost}). The message is unescaped into a reusable buffer.
 */
final class JsonEnvelope {
    private byte[] message = new byte[1024];
    int messageLength;
    boolean hasMessage;
    String host;
    long realtimeMicros;
    long monotonicMicros;
    boolean journald;
    String error;

    private byte[] b;
    private int pos;
    private int end;

    byte[] message() {
        return message;
    }

    /** Parses the object in {@code b[start..end)}; false (with {@link #error}) when it is not valid JSON. */
    boolean parse(byte[] bytes, int start, int stop) {
        b = bytes;
        pos = start;
        end = stop;
        messageLength = 0;
        hasMessage = false;
        host = null;
        realtimeMicros = -1;
        monotonicMicros = -1;
        journald = false;
        error = null;
        try {
            skipWs();
            expect('{');
            skipWs();
            if (peek() == '}') {
                pos++;
                return true;
            }
            while (true) {
                skipWs();
                String key = readString();
                skipWs();
                expect(':');
                skipWs();
                field(key, 0);
                skipWs();
                byte c = next();
                if (c == '}') {
                    return true;
                }
                if (c != ',') {
                    throw new Malformed("expected ',' or '}'");
                }
            }
        } catch (Malformed e) {
            error = e.getMessage() + " at byte " + (pos - start);
            return false;
        }
    }

    private void field(String key, int depth) {
        switch (key) {
            case "MESSAGE":
                journald = true;
                readMessage();
                return;
            case "message":
            case "log":
            case "msg":
                // Vector and Filebeat write "message", Fluent Bit's tail input "log", rsyslog templates "msg".
                if (!hasMessage) {
                    readMessage();
                } else {
                    skipValue(depth);
                }
                return;
            case "_HOSTNAME":
                journald = true;
                host = readStringOrSkip(depth);
                return;
            case "hostname":
            case "syslog_hostname":
            case "fromhost":
                if (host == null) {
                    host = readStringOrSkip(depth);
                } else {
                    skipValue(depth);
                }
                return;
            case "host":
                if (peek() == '{') {
                    readHostObject(depth + 1);
                } else if (host == null) {
                    host = readStringOrSkip(depth);
                } else {
                    skipValue(depth);
                }
                return;
            case "__REALTIME_TIMESTAMP":
                realtimeMicros = readNumberString(depth);
                return;
            case "_SOURCE_MONOTONIC_TIMESTAMP":
                monotonicMicros = readNumberString(depth);
                return;
            default:
                skipValue(depth);
        }
    }

    private void readHostObject(int depth) {
        expect('{');
        skipWs();
        if (peek() == '}') {
            pos++;
            return;
        }
        while (true) {
            skipWs();
            String key = readString();
            skipWs();
            expect(':');
            skipWs();
            if ((key.equals("name") || key.equals("hostname")) && host == null) {
                host = readStringOrSkip(depth);
            } else {
                skipValue(depth);
            }
            skipWs();
            byte c = next();
            if (c == '}') {
                return;
            }
            if (c != ',') {
                throw new Malformed("expected ',' or '}'");
            }
        }
    }

    private void readMessage() {
        messageLength = 0;
        hasMessage = true;
        if (peek() == '[') {
            // journald writes a message that is not valid UTF-8 as an array of its bytes.
            pos++;
            skipWs();
            if (peek() == ']') {
                pos++;
                return;
            }
            while (true) {
                skipWs();
                int start = pos;
                while (pos < end && Text.isDigit(b[pos])) {
                    pos++;
                }
                long v = Text.decimal(b, start, pos);
                if (v < 0 || v > 255) {
                    throw new Malformed("MESSAGE byte array holds a value that is not a byte");
                }
                append((byte) v);
                skipWs();
                byte c = next();
                if (c == ']') {
                    return;
                }
                if (c != ',') {
                    throw new Malformed("expected ',' or ']' in MESSAGE byte array");
                }
            }
        }
        if (peek() != '"') {
            throw new Malformed("message is not a string");
        }
        pos++;
        while (true) {
            if (pos >= end) {
                throw new Malformed("unterminated string");
            }
            byte c = b[pos++];
            if (c == '"') {
                return;
            }
            if (c != '\\') {
                append(c);
                continue;
            }
            appendEscape();
        }
    }

    private void appendEscape() {
        if (pos >= end) {
            throw new Malformed("unterminated escape");
        }
        byte e = b[pos++];
        switch (e) {
            case 'n': append((byte) '\n'); return;
            case 't': append((byte) '\t'); return;
            case 'r': append((byte) '\r'); return;
            case 'b': append((byte) '\b'); return;
            case 'f': append((byte) '\f'); return;
            case 'u': appendCodePoint(readHex4()); return;
            default: append(e);
        }
    }

    private void appendCodePoint(int first) {
        int cp = first;
        if (first >= 0xD800 && first <= 0xDBFF && end - pos >= 6 && b[pos] == '\\' && b[pos + 1] == 'u') {
            pos += 2;
            int low = readHex4();
            cp = 0x10000 + ((first - 0xD800) << 10) + (low - 0xDC00);
        }
        if (cp < 0x80) {
            append((byte) cp);
        } else if (cp < 0x800) {
            append((byte) (0xC0 | (cp >> 6)));
            append((byte) (0x80 | (cp & 0x3F)));
        } else if (cp < 0x10000) {
            append((byte) (0xE0 | (cp >> 12)));
            append((byte) (0x80 | ((cp >> 6) & 0x3F)));
            append((byte) (0x80 | (cp & 0x3F)));
        } else {
            append((byte) (0xF0 | (cp >> 18)));
            append((byte) (0x80 | ((cp >> 12) & 0x3F)));
            append((byte) (0x80 | ((cp >> 6) & 0x3F)));
            append((byte) (0x80 | (cp & 0x3F)));
        }
    }

    private int readHex4() {
        if (end - pos < 4) {
            throw new Malformed("short \\u escape");
        }
        long v = Text.hex(b, pos, pos + 4);
        if (v < 0) {
            throw new Malformed("bad \\u escape");
        }
        pos += 4;
        return (int) v;
    }

    private void append(byte c) {
        if (messageLength == message.length) {
            message = java.util.Arrays.copyOf(message, message.length * 2);
        }
        message[messageLength++] = c;
    }

    private long readNumberString(int depth) {
        if (peek() != '"') {
            skipValue(depth);
            return -1;
        }
        String s = readString();
        long v = Text.decimal(s.getBytes(StandardCharsets.US_ASCII), 0, s.length());
        return v;
    }

    private String readStringOrSkip(int depth) {
        if (peek() == '"') {
            return readString();
        }
        skipValue(depth);
        return null;
    }

    private String readString() {
        expect('"');
        int start = pos;
        boolean escaped = false;
        while (pos < end && b[pos] != '"') {
            if (b[pos] == '\\') {
                escaped = true;
                pos++;
            }
            pos++;
        }
        if (pos >= end) {
            throw new Malformed("unterminated string");
        }
        int stop = pos++;
        if (!escaped) {
            return new String(b, start, stop - start, StandardCharsets.UTF_8);
        }
        StringBuilder sb = new StringBuilder(stop - start);
        for (int i = start; i < stop; i++) {
            char c = (char) (b[i] & 0xff);
            if (c == '\\' && i + 1 < stop) {
                char e = (char) b[++i];
                if (e == 'u' && i + 4 < stop) {
                    sb.append((char) Text.hex(b, i + 1, i + 5));
                    i += 4;
                } else {
                    sb.append(e == 'n' ? '\n' : e == 't' ? '\t' : e);
                }
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private void skipValue(int depth) {
        if (depth > 32) {
            throw new Malformed("nested too deeply");
        }
        byte c = peek();
        if (c == '"') {
            readString();
        } else if (c == '{' || c == '[') {
            byte close = c == '{' ? (byte) '}' : (byte) ']';
            pos++;
            skipWs();
            if (peek() == close) {
                pos++;
                return;
            }
            while (true) {
                skipWs();
                if (c == '{') {
                    readString();
                    skipWs();
                    expect(':');
                    skipWs();
                }
                skipValue(depth + 1);
                skipWs();
                byte n = next();
                if (n == close) {
                    return;
                }
                if (n != ',') {
                    throw new Malformed("expected ',' in " + (c == '{' ? "object" : "array"));
                }
            }
        } else {
            int start = pos;
            while (pos < end && b[pos] != ',' && b[pos] != '}' && b[pos] != ']' && b[pos] != ' ') {
                pos++;
            }
            if (pos == start) {
                throw new Malformed("expected a value");
            }
        }
    }

    private void skipWs() {
        while (pos < end && (b[pos] == ' ' || b[pos] == '\t' || b[pos] == '\r' || b[pos] == '\n')) {
            pos++;
        }
    }

    private byte peek() {
        if (pos >= end) {
            throw new Malformed("unexpected end of JSON");
        }
        return b[pos];
    }

    private byte next() {
        byte c = peek();
        pos++;
        return c;
    }

    private void expect(char c) {
        if (next() != c) {
            pos--;
            throw new Malformed("expected '" + c + "'");
        }
    }

    /** Internal signal for malformed JSON; never escapes this class. */
    private static final class Malformed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Malformed(String message) {
            super(message, null, false, false);
        }
    }
}
