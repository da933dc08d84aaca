package io.affinityagent.cli;

/**
 * Writes JSON (RFC 8259) without a library: objects, arrays, strings, integers, booleans and
 * null, compact, in the order given. Misuse (a value where a name is due) throws, so a bug shows
 * in the tests rather than as broken output in a user's script.
 */
final class JsonWriter {

    private final StringBuilder out = new StringBuilder();
    /** Per open container: 'o' object awaiting a name, 'v' object awaiting a value, 'a' array. */
    private final StringBuilder stack = new StringBuilder();
    /** Per open container: whether it has an element yet. */
    private final StringBuilder started = new StringBuilder();

    JsonWriter beginObject() {
        beforeValue();
        out.append('{');
        push('o');
        return this;
    }

    JsonWriter endObject() {
        pop('o');
        out.append('}');
        return this;
    }

    JsonWriter beginArray() {
        beforeValue();
        out.append('[');
        push('a');
        return this;
    }

    JsonWriter endArray() {
        pop('a');
        out.append(']');
        return this;
    }

    JsonWriter name(String name) {
        int top = stack.length() - 1;
        if (top < 0 || stack.charAt(top) != 'o') {
            throw new IllegalStateException("a name outside an object, or two names in a row");
        }
        if (started.charAt(top) == '1') {
            out.append(',');
        }
        started.setCharAt(top, '1');
        quote(name);
        out.append(':');
        stack.setCharAt(top, 'v');
        return this;
    }

    JsonWriter value(String s) {
        beforeValue();
        if (s == null) {
            out.append("null");
        } else {
            quote(s);
        }
        return this;
    }

    JsonWriter value(long n) {
        beforeValue();
        out.append(n);
        return this;
    }

    /** A number with {@code decimals} digits after the point; NaN (unknown) as null. */
    JsonWriter value(double d, int decimals) {
        beforeValue();
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            out.append("null");
        } else {
            out.append(String.format(java.util.Locale.ROOT, "%." + decimals + "f", d));
        }
        return this;
    }

    JsonWriter value(boolean b) {
        beforeValue();
        out.append(b);
        return this;
    }

    JsonWriter nullValue() {
        beforeValue();
        out.append("null");
        return this;
    }

    /** The document; throws if a container is still open. */
    String toJson() {
        if (stack.length() > 0) {
            throw new IllegalStateException("unclosed " + (stack.charAt(stack.length() - 1) == 'a' ? "array" : "object"));
        }
        return out.toString();
    }

    private void beforeValue() {
        int top = stack.length() - 1;
        if (top < 0) {
            if (out.length() > 0) {
                throw new IllegalStateException("a second top-level value");
            }
            return;
        }
        char c = stack.charAt(top);
        if (c == 'o') {
            throw new IllegalStateException("a value in an object without a name");
        }
        if (c == 'v') {
            stack.setCharAt(top, 'o');
            return;
        }
        if (started.charAt(top) == '1') {
            out.append(',');
        }
        started.setCharAt(top, '1');
    }

    private void push(char kind) {
        stack.append(kind);
        started.append('0');
    }

    private void pop(char kind) {
        int top = stack.length() - 1;
        if (top < 0 || stack.charAt(top) != kind) {
            throw new IllegalStateException("closing a " + (kind == 'a' ? "array" : "object") + " that is not open");
        }
        stack.setLength(top);
        started.setLength(top);
    }

    /** A JSON string: quotes, backslashes and control characters escaped; everything else as is. */
    private void quote(String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"':
                    out.append("\\\"");
                    break;
                case '\\':
                    out.append("\\\\");
                    break;
                case '\n':
                    out.append("\\n");
                    break;
                case '\r':
                    out.append("\\r");
                    break;
                case '\t':
                    out.append("\\t");
                    break;
                case '\b':
                    out.append("\\b");
                    break;
                case '\f':
                    out.append("\\f");
                    break;
                default:
                    if (c < 0x20 || c == 0x7f || Character.isSurrogate(c) && !pairedSurrogate(s, i)) {
                        // A lone surrogate is no character: escaped, it stays valid JSON in any encoding.
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
            }
        }
        out.append('"');
    }

    private static boolean pairedSurrogate(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }
}
