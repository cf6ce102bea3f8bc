package org.celltrial.adapter.ingest.read.xpt;

import org.celltrial.adapter.ingest.read.DatasetMetadata;

import java.util.ArrayList;
import java.util.List;

/** One member (dataset) of an XPORT library: its metadata and where each variable sits in a row. */
record XptLayout(DatasetMetadata metadata, List<Field> fields, int rowLength) {

    /** A variable's bytes within a row. */
    record Field(String name, boolean numeric, int position, int length) {
    }

    XptLayout {
        fields = List.copyOf(fields);
    }

    static XptLayout of(String name, String label, List<DatasetMetadata.Variable> variables, List<Field> fields) {
        int rowLength = 0;
        for (Field field : fields) {
            rowLength = Math.max(rowLength, field.position() + field.length());
        }
        return new XptLayout(new DatasetMetadata(name, label, new ArrayList<>(variables)), fields, rowLength);
    }
}
