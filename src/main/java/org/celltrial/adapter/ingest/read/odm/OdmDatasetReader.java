package org.celltrial.adapter.ingest.read.odm;

import org.celltrial.adapter.ingest.read.DatasetReader;
import org.celltrial.adapter.ingest.read.DatasetSource;
import org.celltrial.adapter.ingest.read.UnreadableDatasetException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Locale;

/**
 * CDISC ODM 1.3.x clinical data ({@code .xml}): one dataset per form, named by {@link OdmFlattener#datasetName its
 * OID}, rows as {@link OdmFlattener} flattens them. The file is read once, one SubjectData at a time; each form's rows
 * are spooled to a temporary file while the file is read (the contract serves a file's datasets one after another, and
 * a form's rows are spread over all subjects), so memory holds one subject, never the file.
 */
public final class OdmDatasetReader implements DatasetReader {

    private final Path spoolRoot;

    /** @param spoolRoot where the per-form spools go (deleted when the source is closed) */
    public OdmDatasetReader(Path spoolRoot) {
        this.spoolRoot = spoolRoot;
    }

    public OdmDatasetReader() {
        this(Path.of(System.getProperty("java.io.tmpdir"), "celltrial-odm-spool"));
    }

    @Override
    public String format() {
        return "CDISC ODM 1.3";
    }

    @Override
    public boolean reads(String fileName) {
        return fileName.toLowerCase(Locale.ROOT).endsWith(".xml");
    }

    /** ODM clinical data only: a Define-XML (an ODM root too) or another XML is not this reader's ({@link OdmContent}). */
    @Override
    public boolean readsContent(String fileName, InputStream start) {
        return OdmContent.of(start) == OdmContent.Kind.ODM;
    }

    @Override
    public DatasetSource open(String fileName, InputStream in) throws UnreadableDatasetException, IOException {
        try (in) {
            return OdmSpool.spool(fileName, in, spoolRoot);
        }
    }
}
