package org.celltrial.adapter.mapping;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.DomainResource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Shared test data: the real mapping files of {@code mappings/} (compiled once per JVM) and SDTM rows copied
 * from the synthetic demo studies in src/main/resources/demo-studies.
 */
final class Fixtures {

    static final FhirContext CTX = FhirContext.forR4Cached();

    static final String STUDY_DAY = "https://fhir.celltrial.org/StructureDefinition/sdtm-study-day";
    static final String STUDY_DAY_END = "https://fhir.celltrial.org/StructureDefinition/sdtm-study-day-end";
    static final String WORKFLOW_STUDY = "http://hl7.org/fhir/StructureDefinition/workflow-researchStudy";
    static final String NCIT = "http://ncicb.nci.nih.gov/xml/owl/EVS/Thesaurus.owl";
    static final String SNOMED = "http://snomed.info/sct";
    static final String UCUM = "http://unitsofmeasure.org";
    static final String CONCEPTS = "https://fhir.celltrial.org/CodeSystem/celltrial-concepts";

    static final String DM_HEADER = "STUDYID,DOMAIN,USUBJID,SUBJID,RFSTDTC,RFENDTC,RFICDTC,SITEID,BRTHDTC,AGE,AGEU,SEX,RACE,ETHNIC,ARMCD,ARM,ACTARMCD,ACTARM,COUNTRY,DTHFL,DTHDTC";
    static final String DM_001 = "NKAML-P1,DM,NKAML-P1-01-001,001,2021-05-18,2021-05-18,2021-04-18,01,2011-08-14,9,YEARS,M,WHITE,NOT HISPANIC OR LATINO,NKHAPLO,Haploidentical HSCT plus donor NK cells on day +7,NKHAPLO,Haploidentical HSCT plus donor NK cells on day +7,IRN,,";
    static final String DM_002 = "NKAML-P1,DM,NKAML-P1-01-002,002,2021-09-07,2021-09-07,2021-08-08,01,2007-03,14,YEARS,F,WHITE,NOT HISPANIC OR LATINO,NKHAPLO,Haploidentical HSCT plus donor NK cells on day +7,NKHAPLO,Haploidentical HSCT plus donor NK cells on day +7,IRN,Y,2022-02-16";
    static final String DM_003 = "NKAML-P1,DM,NKAML-P1-01-003,003,2022-01-25,2022-01-25,2021-12-26,01,2015-11-02,6,YEARS,M,WHITE,NOT HISPANIC OR LATINO,NKHAPLO,Haploidentical HSCT plus donor NK cells on day +7,NKHAPLO,Haploidentical HSCT plus donor NK cells on day +7,IRN,,";

    static final String TS_HEADER = "STUDYID,DOMAIN,TSSEQ,TSPARMCD,TSPARM,TSVAL";
    static final String PR_HEADER = "STUDYID,DOMAIN,USUBJID,PRSEQ,PRTRT,PRDECOD,PRCAT,PROCCUR,PRSTDTC,PRENDTC,PRSTDY,PRENDY";
    static final String EX_HEADER = "STUDYID,DOMAIN,USUBJID,EXSEQ,EXTRT,EXCAT,EXDOSE,EXDOSU,EXDOSFRM,EXROUTE,EXLOT,EXSTDTC,EXENDTC,EXSTDY,EXENDY";
    static final String AE_HEADER = "STUDYID,DOMAIN,USUBJID,AESEQ,AETERM,AEDECOD,AEBODSYS,AESEV,AESER,AETOXGR,AEREL,AEACN,AEOUT,AESTDTC,AEENDTC,AESTDY,AEENDY";
    static final String CE_HEADER = "STUDYID,DOMAIN,USUBJID,CESEQ,CETERM,CEDECOD,CECAT,CEOCCUR,CESTDTC,CESTDY";

    private static MappingSet mappings;

    private Fixtures() {
    }

    /** The real mapping files, as the application loads them (surefire runs from the project root). */
    static synchronized MappingSet mappings() {
        if (mappings == null) {
            mappings = new MappingLoader(CTX).loadDirectory(Path.of("mappings"));
        }
        return mappings;
    }

    static MappingSession session() {
        return new MappingEngine(mappings(), "Z").newSession(SubjectDirectory.NONE);
    }

    static DomainMapping domain(String name) {
        return mappings().forDomain(name).orElseThrow(() -> new AssertionError("no mapping for " + name));
    }

    /** A record from a CSV header and one data line (plain commas only, no quoted fields). */
    static SourceRecord row(String file, int row, String header, String line) {
        String[] names = header.split(",", -1);
        String[] values = line.split(",", -1);
        assertThat(values).as("test data: %s has %d columns", line, names.length).hasSameSizeAs(names);
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < names.length; i++) {
            map.put(names[i].toUpperCase(Locale.ROOT), values[i]);
        }
        return new SourceRecord(file, row, map);
    }

    /** A copy of {@code record} with some values replaced: with(r, "SEX", "X", "DTHFL", ""). */
    static SourceRecord with(SourceRecord record, String... columnValuePairs) {
        Map<String, String> map = new LinkedHashMap<>(record.values());
        for (int i = 0; i < columnValuePairs.length; i += 2) {
            map.put(columnValuePairs[i], columnValuePairs[i + 1]);
        }
        return new SourceRecord(record.file(), record.row(), map);
    }

    static SourceRecord dm(String line) {
        return row("dm.csv", 1, DM_HEADER, line);
    }

    static java.util.List<DataQualityIssue> mapWithIssues(MappingSession session, String domain, SourceRecord record) {
        return session.map(mappings().forDomain(domain).orElseThrow(), record);
    }

    static void map(MappingSession session, String domain, SourceRecord record) {
        session.map(domain(domain), record);
    }

    static MappedResource mapped(MappingSession session, String type, String id) {
        for (MappedResource r : session.result().all()) {
            if (r.resource().fhirType().equals(type) && r.resource().getIdElement().getIdPart().equals(id)) {
                return r;
            }
        }
        return fail("no %s/%s in the result; have %s", type, id, ids(session));
    }

    static <T extends Resource> T resource(MappingSession session, Class<T> type, String id) {
        return type.cast(mapped(session, type.getSimpleName(), id).resource());
    }

    static <T extends Resource> List<T> all(MappingSession session, Class<T> type) {
        List<T> list = new ArrayList<>();
        for (MappedResource r : session.result().all()) {
            if (type.isInstance(r.resource())) {
                list.add(type.cast(r.resource()));
            }
        }
        return list;
    }

    static List<String> ids(MappingSession session) {
        List<String> list = new ArrayList<>();
        for (MappedResource r : session.result().all()) {
            list.add(r.resource().fhirType() + "/" + r.resource().getIdElement().getIdPart());
        }
        return list;
    }

    static Extension extension(DomainResource resource, String url) {
        List<Extension> found = resource.getExtensionsByUrl(url);
        assertThat(found).as("extension %s", url).hasSize(1);
        return found.get(0);
    }

    static String json(Resource resource) {
        return CTX.newJsonParser().encodeResourceToString(resource);
    }
}
