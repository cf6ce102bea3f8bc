package org.celltrial.adapter.mapping;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Turns source keys into FHIR logical ids ([A-Za-z0-9-.]{1,64}) deterministically, so that the same
 * source row always lands on the same resource. Keys that need changing get a hash suffix of the
 * original key, so two keys that differ only in replaced characters never collide.
 */
public final class FhirIds {

    private static final int MAX = 64;

    private FhirIds() {
    }

    public static String fromKey(String key) {
        StringBuilder sb = new StringBuilder(key.length());
        boolean changed = false;
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.') {
                sb.append(c);
            } else {
                sb.append('-');
                changed = true;
            }
        }
        if (!changed && sb.length() <= MAX && !isAllDigits(sb)) {
            return sb.toString();
        }
        String hash = sha256Hex(key).substring(0, 12);
        int keep = Math.min(sb.length(), MAX - hash.length() - 1);
        return sb.substring(0, keep) + "-" + hash;
    }

    // HAPI reserves purely numeric ids for server-assigned ones
    private static boolean isAllDigits(CharSequence s) {
        for (int i = 0; i < s.length(); i++) {
            if (!Character.isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    public static String sha256Hex(String text) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(md.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
