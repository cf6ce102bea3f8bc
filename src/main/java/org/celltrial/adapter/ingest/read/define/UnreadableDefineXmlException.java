package org.celltrial.adapter.ingest.read.define;

/** A Define-XML file that cannot be read: the message names the file, the line and the reason. */
public class UnreadableDefineXmlException extends Exception {

    public UnreadableDefineXmlException(String message) {
        super(message);
    }
}
