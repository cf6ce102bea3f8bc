package org.celltrial.adapter.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Test helper until the Dataset-JSON reader lands (issue 15): writes the CDISC-written SDTM study of
 * {@code ../shared/reference/cdisc-msg-sdtm/dataset-json} (MIT, CDISC; see its README) as one CSV per dataset, as a
 * sponsor's export would: RFC 4180 quoting, numbers as Dataset-JSON gives them (SAS floats such as {@code 1.0} kept),
 * null as empty.
 */
final class CdiscReferenceCsv {

    static final Path DATASET_JSON = Path.of("..", "shared", "reference", "cdisc-msg-sdtm", "dataset-json");

    private CdiscReferenceCsv() {
    }

    /** Writes every dataset into {@code target} (created) and returns the number of rows written. */
    static int write(Path target) throws IOException {
        Files.createDirectories(target);
        ObjectMapper json = new ObjectMapper();
        int rows = 0;
        List<Path> files;
        try (Stream<Path> s = Files.list(DATASET_JSON)) {
            files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        for (Path f : files) {
            JsonNode doc = json.readTree(f.toFile());
            List<String> names = new ArrayList<>();
            doc.get("columns").forEach(c -> names.add(c.get("name").asText()));
            String csvName = f.getFileName().toString().replace(".json", ".csv");
            try (Writer w = Files.newBufferedWriter(target.resolve(csvName), StandardCharsets.UTF_8)) {
                w.write(line(names));
                for (JsonNode row : doc.get("rows")) {
                    List<String> values = new ArrayList<>();
                    row.forEach(v -> values.add(v.isNull() ? "" : v.asText()));
                    w.write(line(values));
                    rows++;
                }
            }
        }
        return rows;
    }

    private static String line(List<String> values) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            String v = values.get(i);
            if (v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0) {
                sb.append('"').append(v.replace("\"", "\"\"")).append('"');
            } else {
                sb.append(v);
            }
        }
        return sb.append("\r\n").toString();
    }
}
