package org.celltrial.adapter.ingest.read.odm;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.celltrial.adapter.ingest.read.DatasetCursor;
import org.celltrial.adapter.ingest.read.DatasetMetadata;
import org.celltrial.adapter.ingest.read.DatasetRow;
import org.celltrial.adapter.ingest.read.DatasetSource;
import org.celltrial.adapter.ingest.read.UnreadableDatasetException;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The datasets of one ODM file, spooled per form as JSON lines in a temporary folder while the file is streamed, then
 * served one form after another. Closing deletes the spool.
 */
final class OdmSpool implements DatasetSource {

    /** Forms of one file (each holds an open spool file while the file is read). */
    static final int MAX_FORMS = 2_000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<LinkedHashMap<String, String>> ROW = new TypeReference<>() {
    };

    private record Form(String name, Path file, Set<String> columns, OdmMetadata metadata) {
    }

    private final Path dir;
    private final Iterator<Form> forms;

    private OdmSpool(Path dir, List<Form> forms) {
        this.dir = dir;
        this.forms = forms.iterator();
    }

    static OdmSpool spool(String fileName, InputStream in, Path spoolRoot) throws UnreadableDatasetException, IOException {
        Files.createDirectories(spoolRoot);
        Path dir = Files.createTempDirectory(spoolRoot, "odm");
        Map<String, BufferedWriter> writers = new LinkedHashMap<>();
        Map<String, Form> forms = new LinkedHashMap<>();
        boolean ok = false;
        try (OdmFlattener flattener = new OdmFlattener(fileName, in)) {
            List<OdmRow> rows;
            while ((rows = flattener.nextSubject()) != null) {
                for (OdmRow row : rows) {
                    Form form = forms.get(row.dataset());
                    if (form == null) {
                        if (forms.size() >= MAX_FORMS) {
                            throw new UnreadableDatasetException(fileName + ": more than " + MAX_FORMS + " forms");
                        }
                        form = new Form(row.dataset(), dir.resolve(String.format("%05d.jsonl", forms.size())),
                                new LinkedHashSet<>(OdmFlattener.CONTEXT), flattener.metadata());
                        forms.put(row.dataset(), form);
                        writers.put(row.dataset(), Files.newBufferedWriter(form.file(), StandardCharsets.UTF_8));
                    }
                    form.columns().addAll(row.values().keySet());
                    BufferedWriter w = writers.get(row.dataset());
                    w.write(JSON.writeValueAsString(row.values()));
                    w.newLine();
                }
            }
            ok = true;
        } finally {
            for (BufferedWriter w : writers.values()) {
                w.close();
            }
            if (!ok) {
                delete(dir);
            }
        }
        return new OdmSpool(dir, new ArrayList<>(forms.values()));
    }

    @Override
    public DatasetCursor nextDataset() throws IOException {
        if (!forms.hasNext()) {
            return null;
        }
        Form form = forms.next();
        List<DatasetMetadata.Variable> variables = new ArrayList<>();
        for (String c : form.columns()) {
            variables.add(new DatasetMetadata.Variable(c, "", DatasetMetadata.VariableType.STRING, 0, "", ""));
        }
        DatasetMetadata meta = new DatasetMetadata(form.name(), "", variables);
        BufferedReader reader = Files.newBufferedReader(form.file(), StandardCharsets.UTF_8);
        return new DatasetCursor() {
            private int number;

            @Override
            public DatasetMetadata metadata() {
                return meta;
            }

            @Override
            public DatasetRow next() throws IOException {
                String line = reader.readLine();
                if (line == null) {
                    return null;
                }
                Map<String, String> values = JSON.readValue(line, ROW);
                // every row has every column of its form: items a form instance lacks are empty
                Map<String, String> all = new LinkedHashMap<>();
                for (String c : form.columns()) {
                    all.put(c, values.getOrDefault(c, ""));
                }
                return DatasetRow.of(++number, all);
            }

            @Override
            public void close() throws IOException {
                reader.close();
            }
        };
    }

    @Override
    public void close() {
        delete(dir);
    }

    private static void delete(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
