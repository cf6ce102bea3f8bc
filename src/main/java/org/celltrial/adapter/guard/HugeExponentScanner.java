package org.celltrial.adapter.guard;

/**
 * Refuses a request body holding a number with an exponent beyond ±{@value #MAX_EXPONENT}, while the body streams.
 * A decimal such as {@code 1e999999999} is 11 bytes, but HAPI's JSON parser turns every JSON number into its plain
 * text (a billion digits: OutOfMemoryError, the process halts), and the validator spends minutes on the same value in
 * XML. No FHIR decimal needs such an exponent. In JSON, numbers outside strings are checked; in any other body (XML,
 * forms) every token that starts as a number in exponent notation ({@code value="1E5000"}), so identifiers such as
 * {@code LOT1E5000} are left alone. Found by the bad-input corpus (BadInputCorpusIT, json-exponent-number).
 */
final class HugeExponentScanner {

    static final int MAX_EXPONENT = 1000;

    private final boolean json;
    private long offset;
    // JSON: inside a string, after a backslash
    private boolean inString;
    private boolean escaped;
    // the current token of [0-9+-.eE] and where its exponent stands
    private boolean tokenStart = true;   // the previous byte ended a token (a delimiter)
    private boolean inNumber;           // the token so far is a number (mantissa digits seen, no letter)
    private boolean mantissaDigit;
    private int exponentState;          // 0 none, 1 after e/E, 2 after its sign, 3 in its digits
    private long exponent;

    HugeExponentScanner(boolean json) {
        this.json = json;
    }

    /** Scans the next bytes; throws {@link BodyUnreadableException} at the first number over the limit. */
    void scan(byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) {
            scan(b[i]);
        }
    }

    void scan(int c) {
        offset++;
        if (json) {
            if (inString) {
                if (escaped) {
                    escaped = false;
                } else if (c == '\\') {
                    escaped = true;
                } else if (c == '"') {
                    inString = false;
                }
                return;
            }
            if (c == '"') {
                endToken();
                inString = true;
                return;
            }
        }
        boolean numberChar = (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.' || c == 'e' || c == 'E';
        boolean wordChar = numberChar || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
        if (!wordChar) {
            endToken();
            return;
        }
        if (tokenStart) {
            tokenStart = false;
            inNumber = true;
            mantissaDigit = false;
            exponentState = 0;
            exponent = 0;
        }
        if (!inNumber) {
            return;
        }
        if (!numberChar) {
            inNumber = false; // a word, not a number
            return;
        }
        if (c >= '0' && c <= '9') {
            if (exponentState == 0) {
                mantissaDigit = true;
            } else {
                exponentState = 3;
                exponent = Math.min(exponent * 10 + (c - '0'), Integer.MAX_VALUE);
                if (exponent > MAX_EXPONENT) {
                    throw new BodyUnreadableException("a number at byte " + offset + " has an exponent beyond +/-"
                            + MAX_EXPONENT + ", more than any FHIR decimal needs");
                }
            }
        } else if ((c == 'e' || c == 'E') && exponentState == 0 && mantissaDigit) {
            exponentState = 1;
        } else if ((c == '+' || c == '-') && exponentState == 1) {
            exponentState = 2;
        } else if (!((c == '-' || c == '+' || c == '.') && exponentState == 0)) {
            inNumber = false;
        }
    }

    private void endToken() {
        tokenStart = true;
        inNumber = false;
    }
}
