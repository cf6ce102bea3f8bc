package org.celltrial.adapter.ingest.read.define;

import javax.xml.stream.Location;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads Define-XML 2.0 and 2.1 with StAX into a {@link DefineXml}, streaming (the document is never held, only the
 * model). Hardened against hostile XML: a DOCTYPE is refused outright (Define-XML has none, and refusing it rules
 * out external entities, XXE and entity expansion such as "billion laughs"); external entities are off in the
 * parser as well; element depth, text length and the number of elements and model entries are bounded.
 */
public final class DefineXmlReader {

    /** Define-XML nests about 8 levels; 64 leaves room and stops 10^5-deep documents early. */
    static final int MAX_DEPTH = 64;
    /** Longest text kept (a TranslatedText, a CheckValue). */
    static final int MAX_TEXT = 64 * 1024;
    /** Elements in one document: real defines have 10^4 to 10^6. */
    static final int MAX_ELEMENTS = 5_000_000;

    private final XMLInputFactory factory = hardenedFactory();

    public DefineXml read(String fileName, InputStream in) throws UnreadableDefineXmlException, IOException {
        XMLStreamReader xml = null;
        try (in) {
            xml = factory.createXMLStreamReader(in);
            DefineXmlHandler handler = new DefineXmlHandler(fileName);
            int depth = 0;
            long elements = 0;
            while (xml.hasNext()) {
                int event = xml.next();
                switch (event) {
                    case XMLStreamConstants.DTD -> throw failure(fileName, xml.getLocation(),
                            "a DOCTYPE is not allowed in Define-XML (refused: DTDs and entities are a way to attack"
                                    + " XML readers)");
                    case XMLStreamConstants.ENTITY_REFERENCE -> throw failure(fileName, xml.getLocation(),
                            "entity references are not allowed");
                    case XMLStreamConstants.START_ELEMENT -> {
                        if (++depth > MAX_DEPTH) {
                            throw failure(fileName, xml.getLocation(), "elements nested deeper than " + MAX_DEPTH);
                        }
                        if (++elements > MAX_ELEMENTS) {
                            throw failure(fileName, xml.getLocation(), "more than " + MAX_ELEMENTS + " elements");
                        }
                        handler.start(xml);
                    }
                    case XMLStreamConstants.END_ELEMENT -> {
                        depth--;
                        handler.end(xml.getLocalName());
                    }
                    case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE ->
                            handler.text(xml);
                    default -> {
                        // comments, processing instructions (the stylesheet link), document start and end
                    }
                }
            }
            return handler.result();
        } catch (DefineXmlHandler.Refused refused) {
            throw failure(fileName, xml == null ? null : xml.getLocation(), refused.getMessage());
        } catch (XMLStreamException broken) {
            throw failure(fileName, broken.getLocation(), "not well-formed XML or over a parser limit: "
                    + firstLine(broken.getMessage()));
        } finally {
            if (xml != null) {
                try {
                    xml.close();
                } catch (XMLStreamException ignored) {
                    // closing a reader whose input is closed: nothing left to release
                }
            }
        }
    }

    private static XMLInputFactory hardenedFactory() {
        XMLInputFactory factory = XMLInputFactory.newFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLInputFactory.IS_COALESCING, false);
        factory.setXMLResolver((publicId, systemId, baseUri, namespace) -> {
            throw new XMLStreamException("external resources are not loaded");
        });
        // Woodstox (on the classpath) has its own limits; set them when present, in addition to the checks above
        setIfSupported(factory, "com.ctc.wstx.maxElementDepth", MAX_DEPTH + 1);
        setIfSupported(factory, "com.ctc.wstx.maxTextLength", 8 * 1024 * 1024);
        setIfSupported(factory, "com.ctc.wstx.maxAttributeSize", 1024 * 1024);
        setIfSupported(factory, "com.ctc.wstx.maxAttributesPerElement", 1000);
        return factory;
    }

    private static void setIfSupported(XMLInputFactory factory, String property, Object value) {
        if (factory.isPropertySupported(property)) {
            try {
                factory.setProperty(property, value);
            } catch (IllegalArgumentException unsupportedValue) {
                // an implementation that knows the name but not this value keeps its default
            }
        }
    }

    private static UnreadableDefineXmlException failure(String file, Location at, String what) {
        String where = at == null || at.getLineNumber() < 0 ? "" : " (line " + at.getLineNumber() + ", column "
                + at.getColumnNumber() + ")";
        return new UnreadableDefineXmlException(file + ": " + what + where);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        String line = message.lines().findFirst().orElse("");
        return line.length() > 200 ? line.substring(0, 200) : line;
    }
}
