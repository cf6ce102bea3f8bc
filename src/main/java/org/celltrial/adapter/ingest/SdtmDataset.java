package org.celltrial.adapter.ingest;

import org.celltrial.adapter.mapping.SourceRecord;

import java.util.List;
import java.util.Set;

/** One SDTM dataset file: its domain (from the file name), header variables and rows. */
public record SdtmDataset(String domain, String file, Set<String> columns, List<SourceRecord> records,
                          List<RowProblem> problems) {

    /** A row the CSV reader itself could not accept (e.g. a wrong number of fields). */
    public record RowProblem(int row, String message, String raw) {
    }
}
