package org.celltrial.adapter.ingest.read.xpt;

import org.celltrial.adapter.ingest.read.DatasetReader;
import org.celltrial.adapter.ingest.read.DatasetSource;
import org.celltrial.adapter.ingest.read.UnreadableDatasetException;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;

/**
 * SAS XPORT v5 transport files ({@code .xpt}), the format regulators require, after SAS technical note TS-140: a
 * library header, then per member (dataset) its headers, one namestr per variable and the rows. Numerics are IBM
 * hexadecimal floats of 2-8 bytes ({@link IbmFloat}); character values are decoded by {@link SasText}. XPORT v8/v9
 * ({@code LIBV8}) and CPORT files are refused with a message saying so.
 */
public final class XptDatasetReader implements DatasetReader {

    @Override
    public String format() {
        return "SAS XPORT v5";
    }

    @Override
    public boolean reads(String fileName) {
        return fileName.toLowerCase(Locale.ROOT).endsWith(".xpt");
    }

    @Override
    public DatasetSource open(String fileName, InputStream in) throws UnreadableDatasetException, IOException {
        boolean opened = false;
        try {
            XptRecords records = new XptRecords(new BufferedInputStream(in, 64 * 1024), fileName);
            readLibraryHeader(records);
            opened = true;
            return new XptSource(in, records);
        } finally {
            if (!opened) {
                in.close();
            }
        }
    }

    private static void readLibraryHeader(XptRecords records) throws IOException, UnreadableDatasetException {
        String file = records.fileName();
        byte[] first = records.peek();
        if (first == null) {
            throw new UnreadableDatasetException(file + ": empty file, not a SAS XPORT file");
        }
        if (XptRecords.startsWith(first, XptHeaders.LIBRARY_V8)) {
            throw new UnreadableDatasetException(file + ": SAS XPORT v8/v9 (LIBV8 header) is not supported; export "
                    + "the datasets as XPORT v5, the version regulators require");
        }
        if (XptRecords.startsWith(first, XptHeaders.CPORT)) {
            throw new UnreadableDatasetException(file + ": a SAS CPORT file (PROC CPORT), not an XPORT transport "
                    + "file; export the datasets with PROC XPORT / the XPORT engine (v5)");
        }
        if (!XptHeaders.is(first, XptHeaders.LIBRARY)) {
            throw new UnreadableDatasetException(file + ": not a SAS XPORT file (the first 80 bytes are not a "
                    + "library header record)");
        }
        records.take("the library header");
        byte[] real = records.take("the library's first real header record");
        if (!XptRecords.startsWith(real, "SAS     SAS     SASLIB")) {
            throw new UnreadableDatasetException(file + ": the library header at byte offset 80 does not start with "
                    + "\"SAS     SAS     SASLIB\"");
        }
        records.take("the library's second real header record");
        byte[] member = records.peek();
        if (member != null && !XptHeaders.is(member, XptHeaders.MEMBER)
                && !XptRecords.startsWith(member, XptHeaders.MEMBER_V8)) {
            throw new UnreadableDatasetException(file + ": expected a member header record at byte offset 240, "
                    + "found something else");
        }
    }
}
