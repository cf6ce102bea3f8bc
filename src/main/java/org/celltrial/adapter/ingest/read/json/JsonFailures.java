package org.celltrial.adapter.ingest.read.json;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import org.celltrial.adapter.ingest.read.UnreadableDatasetException;

/**
 * Jackson's parse errors as messages that can be logged: Jackson quotes the offending token ("Unrecognized token
 * 'SMITH'"), which may be patient data, so only the kind of error and its place are kept, and the Jackson exception
 * is not attached as cause.
 */
final class JsonFailures {

    private JsonFailures() {
    }

    static UnreadableDatasetException unreadable(String file, String where, JsonProcessingException broken) {
        String what;
        if (broken instanceof StreamConstraintsException) {
            // Jackson's constraint messages hold only numbers and the name of the limit
            what = "a limit is exceeded: " + broken.getOriginalMessage();
        } else if (broken instanceof JsonEOFException) {
            what = "the file ends inside a JSON value (truncated file)";
        } else {
            what = "malformed JSON";
        }
        JsonLocation at = broken.getLocation();
        String place = at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr()
                + (at.getByteOffset() >= 0 ? ", byte offset " + at.getByteOffset() : "") + ")";
        return new UnreadableDatasetException(file + ": " + what + " " + where + place);
    }
}
