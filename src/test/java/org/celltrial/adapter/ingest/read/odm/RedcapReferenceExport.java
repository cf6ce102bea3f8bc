package org.celltrial.adapter.ingest.read.odm;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Test helper: the real REDCap export (10.8, GECCO project, 10 records) in src/test/resources/redcap-odm-export/,
 * copied from /work/shared/reference/redcap-odm-export/ (MIT, see its LICENSE.md): its ODM XML, and its flat CSV (one
 * row per record and event, or per repeating instrument instance) as the independent oracle.
 */
public final class RedcapReferenceExport {

    public static final String XML = "/redcap-odm-export/REDCap_Realistic_Data_2021-08-04.xml";
    public static final String CSV = "/redcap-odm-export/REDCap_Realistic_Data_2021-08-04.csv";

    private RedcapReferenceExport() {
    }

    public static InputStream xml() {
        return RedcapReferenceExport.class.getResourceAsStream(XML);
    }

    public static byte[] xmlBytes() throws IOException {
        try (InputStream in = xml()) {
            return in.readAllBytes();
        }
    }

    /** The flat CSV's rows, header names as REDCap writes them (lower case). */
    public static List<Map<String, String>> csvRows() throws IOException {
        try (Reader r = new InputStreamReader(RedcapReferenceExport.class.getResourceAsStream(CSV), StandardCharsets.UTF_8)) {
            List<Map<String, String>> rows = new ArrayList<>();
            for (CSVRecord rec : CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(r)) {
                Map<String, String> row = new LinkedHashMap<>();
                rec.toMap().forEach((k, v) -> row.put(k.replace("\uFEFF", ""), v));
                rows.add(row);
            }
            return rows;
        }
    }
}
