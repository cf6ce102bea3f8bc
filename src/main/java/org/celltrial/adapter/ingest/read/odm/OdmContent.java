package org.celltrial.adapter.ingest.read.odm;

import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import java.io.InputStream;

/**
 * What an {@code .xml} file is, by its first elements: CDISC ODM clinical data, a Define-XML (also an ODM root, in the
 * same namespace, but dataset metadata: {@code def:} attributes and no ClinicalData), or something else. Both come as
 * {@code .xml} in a delivery (ODM exports are named by the EDC, a define is usually {@code define.xml} but need not be),
 * so the name cannot tell them apart. Read with the hardened {@link SafeXml} factory; only the start is read: a
 * Define-XML says so on its root ({@code def:Context}, 2.1) or its MetaDataVersion ({@code def:DefineVersion}, 2.0 and
 * 2.1), a few elements in.
 */
public final class OdmContent {

    public enum Kind {
        /** ODM with clinical data, or ODM whose metadata is not a Define-XML's: the ODM reader's. */
        ODM,
        /** A Define-XML: not data, the ODM reader leaves it alone. */
        DEFINE_XML,
        /** Not ODM (another root element or namespace), or not XML at all before its root. */
        OTHER
    }

    /** Namespaces of Define-XML 2.0 ({@code .../def/v2.0}) and 2.1 ({@code .../def/v2.1}). */
    static final String DEFINE_NS = "http://www.cdisc.org/ns/def/";
    static final String ODM_NS = "http://www.cdisc.org/ns/odm/v1.3";
    /** Elements looked at before deciding: a define's MetaDataVersion comes within about ten. */
    static final int MAX_ELEMENTS = 10_000;

    private OdmContent() {
    }

    /**
     * The kind of the XML on {@code in} (which the caller closes). A DOCTYPE counts as {@link Kind#ODM} when nothing
     * else is known: the ODM reader then refuses the file with its reason (a DTD is never read), rather than the file
     * being passed over in silence. A file that breaks off after an ODM root is ODM for the same reason: the reader
     * reports where it is broken.
     */
    public static Kind of(InputStream in) {
        XMLStreamReader xml = null;
        boolean odmRoot = false;
        try {
            xml = SafeXml.reader(in);
            int elements = 0;
            while (xml.hasNext()) {
                int event = xml.next();
                if (event == XMLStreamConstants.DTD) {
                    return Kind.ODM;
                }
                if (event != XMLStreamConstants.START_ELEMENT) {
                    continue;
                }
                if (!odmRoot) {
                    if (!isOdmRoot(xml)) {
                        return Kind.OTHER;
                    }
                    odmRoot = true;
                }
                if (definesDatasets(xml)) {
                    return Kind.DEFINE_XML;
                }
                String name = xml.getLocalName();
                // clinical data, or an ODM MetaDataVersion without a define's marks: ODM for the reader
                if (name.equals("ClinicalData") || name.equals("ReferenceData") || name.equals("MetaDataVersion")
                        || ++elements > MAX_ELEMENTS) {
                    return Kind.ODM;
                }
            }
            return odmRoot ? Kind.ODM : Kind.OTHER;
        } catch (XMLStreamException | RuntimeException broken) {
            return odmRoot ? Kind.ODM : Kind.OTHER;
        } finally {
            if (xml != null) {
                try {
                    xml.close();
                } catch (XMLStreamException ignored) {
                    // only the parser's own state: the caller closes the stream
                }
            }
        }
    }

    /** The root element ODM, in the ODM 1.3 namespace or none (as the reader accepts, {@link OdmFlattener}). */
    private static boolean isOdmRoot(XMLStreamReader xml) {
        String ns = xml.getNamespaceURI();
        return xml.getLocalName().equals("ODM") && (ns == null || ns.isEmpty() || ns.startsWith(ODM_NS));
    }

    /** An element or attribute in a Define-XML namespace. */
    private static boolean definesDatasets(XMLStreamReader xml) {
        if (inDefineNs(xml.getNamespaceURI())) {
            return true;
        }
        for (int i = 0; i < xml.getAttributeCount(); i++) {
            if (inDefineNs(xml.getAttributeNamespace(i))) {
                return true;
            }
        }
        return false;
    }

    private static boolean inDefineNs(String ns) {
        return ns != null && ns.startsWith(DEFINE_NS);
    }
}
