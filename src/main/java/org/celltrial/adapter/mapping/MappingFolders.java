package org.celltrial.adapter.mapping;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The files of a mapping folder: the SDTM mappings at its top ({@code mappings/*.yaml}, the set {@code default}), and
 * one <b>mapping set</b> per subfolder ({@code mappings/redcap-gecco/*.yaml}), which a source names
 * ({@code celltrial.sources[].mapping-set}). All sets are compiled together into one name space of domains (a domain
 * mapped twice stops start-up naming both files), so that a delivery is mapped the same way whichever source brought
 * it; a set is a unit of authorship and of configuration, not a separate engine. {@code terminology/} holds the
 * ConceptMaps every set can use.
 */
public final class MappingFolders {

    public static final String DEFAULT_SET = "default";
    private static final String TERMINOLOGY = "terminology";

    private MappingFolders() {
    }

    /** The mapping sets of a folder: {@code default} and every subfolder holding {@code *.yaml} (not terminology). */
    public static List<String> sets(Path dir) {
        List<String> sets = new ArrayList<>(List.of(DEFAULT_SET));
        for (Path sub : list(dir)) {
            if (Files.isDirectory(sub) && !sub.getFileName().toString().equals(TERMINOLOGY) && !yaml(sub).isEmpty()) {
                sets.add(sub.getFileName().toString());
            }
        }
        return sets;
    }

    /** Every mapping file, top level first, named {@code file.yaml} or {@code set/file.yaml}. */
    static Map<String, String> mappingFiles(Path dir) {
        Map<String, String> files = new LinkedHashMap<>();
        for (Path f : yaml(dir)) {
            files.put(f.getFileName().toString(), read(f));
        }
        for (String set : sets(dir)) {
            if (!set.equals(DEFAULT_SET)) {
                for (Path f : yaml(dir.resolve(set))) {
                    files.put(set + "/" + f.getFileName(), read(f));
                }
            }
        }
        if (files.isEmpty()) {
            throw new MappingDefinitionException(dir.toString(), 0, "no mapping files (*.yaml)");
        }
        return files;
    }

    static Map<String, String> terminology(Path dir) {
        Map<String, String> files = new LinkedHashMap<>();
        Path term = dir.resolve(TERMINOLOGY);
        if (Files.isDirectory(term)) {
            for (Path f : list(term)) {
                if (f.getFileName().toString().endsWith(".json")) {
                    files.put(f.getFileName().toString(), read(f));
                }
            }
        }
        return files;
    }

    private static List<Path> yaml(Path dir) {
        return list(dir).stream().filter(p -> Files.isRegularFile(p)
                && p.getFileName().toString().matches("(?i).*\\.ya?ml")).toList();
    }

    private static List<Path> list(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new MappingDefinitionException(dir.toString(), 0, "mapping directory does not exist");
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        } catch (IOException e) {
            throw new MappingDefinitionException(dir.toString(), 0, "cannot list: " + e.getMessage());
        }
    }

    private static String read(Path f) {
        try {
            return Files.readString(f, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new MappingDefinitionException(f.toString(), 0, "cannot read: " + e.getMessage());
        }
    }
}
