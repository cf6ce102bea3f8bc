package org.celltrial.adapter.ingest.read;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The CDISC SDTM MSG v2 example study (written by CDISC with SAS, MIT licence) in the shared reference folder: the
 * same 28 datasets as XPT, Dataset-JSON and NDJSON, and its Define-XML. Tests read it in place: it is data we did
 * not write.
 */
public final class ReferenceStudy {

    public static final Path ROOT = Path.of(System.getProperty("celltrial.reference.msg",
            "/work/shared/reference/cdisc-msg-sdtm"));

    private ReferenceStudy() {
    }

    public static List<Path> files(String folder, String extension) throws IOException {
        try (Stream<Path> files = Files.list(ROOT.resolve(folder))) {
            return files.filter(p -> p.getFileName().toString().endsWith(extension)).sorted().toList();
        }
    }

    /** A dataset's name from its file name: {@code ae.xpt} gives {@code ae}. */
    public static String stem(Path file) {
        String name = file.getFileName().toString();
        return name.substring(0, name.lastIndexOf('.'));
    }

    /** Every dataset of the file, fully read. */
    public static List<ReadDataset> readAll(DatasetReader reader, Path file) throws Exception {
        List<ReadDataset> datasets = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file);
             DatasetSource source = reader.open(file.getFileName().toString(), in)) {
            DatasetCursor cursor;
            while ((cursor = source.nextDataset()) != null) {
                List<DatasetRow> rows = new ArrayList<>();
                DatasetRow row;
                while ((row = cursor.next()) != null) {
                    rows.add(row);
                }
                datasets.add(new ReadDataset(cursor.metadata(), rows));
            }
        }
        return datasets;
    }

    public record ReadDataset(DatasetMetadata metadata, List<DatasetRow> rows) {
    }
}
