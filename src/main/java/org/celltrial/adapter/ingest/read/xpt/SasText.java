package org.celltrial.adapter.ingest.read.xpt;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Character values and header texts of an XPORT file. The format declares no encoding: SAS writes the session
 * encoding, which for current submissions is UTF-8 and for older Windows sessions Windows-1252 (wlatin1). A value
 * that is valid UTF-8 is read as UTF-8 (plain ASCII being both); any other is read as Windows-1252, which gives
 * every byte a character. Accidental valid UTF-8 from Latin-1 text needs unusual byte pairs (an accented capital
 * followed by a C1 symbol), so the guess is right for real text. Trailing blanks (SAS pads character values with
 * them) and NUL padding of other writers are not part of the value.
 *
 * <p>Not thread-safe: one per cursor.
 */
final class SasText {

    private static final Charset WINDOWS_1252 = Charset.forName("windows-1252");

    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);

    String decode(byte[] bytes, int offset, int length) {
        int end = offset + length;
        while (end > offset && (bytes[end - 1] == ' ' || bytes[end - 1] == 0)) {
            end--;
        }
        boolean ascii = true;
        for (int i = offset; i < end; i++) {
            if (bytes[i] < 0) {
                ascii = false;
                break;
            }
        }
        if (ascii) {
            return new String(bytes, offset, end - offset, StandardCharsets.ISO_8859_1);
        }
        try {
            return utf8.reset().decode(ByteBuffer.wrap(bytes, offset, end - offset)).toString();
        } catch (CharacterCodingException notUtf8) {
            return new String(bytes, offset, end - offset, WINDOWS_1252);
        }
    }
}
