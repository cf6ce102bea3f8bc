package org.celltrial.adapter.ingest.read.odm;

import com.ctc.wstx.api.WstxInputProperties;
import com.ctc.wstx.stax.WstxInputFactory;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import java.io.InputStream;

/**
 * A StAX factory for XML from outside (EDC exports, API answers): no DTD at all (a DOCTYPE is refused by the reader
 * before anything else, so no internal entity can be declared: no billion laughs, no external entity, no XXE), and
 * Woodstox's own bounds on what a hostile file can make us hold: attribute and text sizes, nesting depth, attributes
 * per element. Woodstox is used by name (not the JDK's factory lookup) so that the bounds always apply.
 */
public final class SafeXml {

    /** Longest attribute value or text: an ODM value is short; 1 MiB leaves room for free-text fields. */
    static final int MAX_VALUE_CHARS = 1 << 20;
    /** ODM nests 7 levels below ODM; 64 leaves room for vendor extensions. */
    static final int MAX_DEPTH = 64;

    private SafeXml() {
    }

    public static XMLStreamReader reader(InputStream in) throws XMLStreamException {
        XMLInputFactory f = new WstxInputFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, true); // none can be declared: an undeclared one fails
        f.setProperty(XMLInputFactory.IS_COALESCING, true);
        f.setProperty(WstxInputProperties.P_MAX_ATTRIBUTE_SIZE, MAX_VALUE_CHARS);
        f.setProperty(WstxInputProperties.P_MAX_TEXT_LENGTH, MAX_VALUE_CHARS);
        f.setProperty(WstxInputProperties.P_MAX_ELEMENT_DEPTH, MAX_DEPTH);
        f.setProperty(WstxInputProperties.P_MAX_ATTRIBUTES_PER_ELEMENT, 256);
        f.setProperty(WstxInputProperties.P_MAX_ENTITY_COUNT, 1L);
        f.setProperty(WstxInputProperties.P_MAX_ENTITY_DEPTH, 1);
        return f.createXMLStreamReader(in);
    }
}
