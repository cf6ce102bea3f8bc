package org.celltrial.adapter.mapping;

import org.hl7.fhir.r4.model.ResearchSubject;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.celltrial.adapter.mapping.Fixtures.DM_001;
import static org.celltrial.adapter.mapping.Fixtures.dm;
import static org.celltrial.adapter.mapping.Fixtures.map;
import static org.celltrial.adapter.mapping.Fixtures.row;
import static org.celltrial.adapter.mapping.Fixtures.session;

class DsMappingTest {

    private static final String DS_HEADER = "STUDYID,DOMAIN,USUBJID,DSSEQ,DSTERM,DSDECOD,DSCAT,DSSCAT,DSSTDTC";

    private static SourceRecord ds(int row, String line) {
        return row("ds.csv", row, DS_HEADER, line);
    }

    /** A session that knows the subject from an earlier delivery, as a DS-only delivery finds it. */
    private static MappingSession storedSubjectSession() {
        return new MappingEngine(Fixtures.mappings(), "Z").newSession(id -> Optional.of(new SubjectInfo(id, null)));
    }

    private static boolean producesResearchSubject(MappingSession s) {
        return s.result().all().stream().anyMatch(r -> r.resource() instanceof ResearchSubject);
    }

    @Test
    void aDispositionThatSetsNoStatusContributesNothingToTheSubject() {
        // an epoch's completion (no DSSCAT) passes ds.yaml's condition but none of its status rules applies
        MappingSession alone = storedSubjectSession();
        map(alone, "DS", ds(1, "NKAML-P1,DS,NKAML-P1-01-001,1,SCREENING COMPLETED,COMPLETED,DISPOSITION EVENT,,2021-05-01"));
        assertThat(alone.result().all()).extracting(r -> r.resource().fhirType()).containsExactly("Observation");
        assertThat(producesResearchSubject(alone)).as("no empty contribution to read, merge and rewrite").isFalse();
    }

    @Test
    void aDispositionThatSetsTheStatusStillContributes() {
        MappingSession alone = storedSubjectSession();
        map(alone, "DS", ds(1, "NKAML-P1,DS,NKAML-P1-01-001,1,LOST,LOST TO FOLLOW-UP,DISPOSITION EVENT,STUDY PARTICIPATION,2021-09-01"));
        MappedResource rs = Fixtures.mapped(alone, "ResearchSubject", "NKAML-P1-NKAML-P1-01-001");
        assertThat(rs.contributionOnly()).isTrue();
        assertThat(((ResearchSubject) rs.resource()).getStatus()).isEqualTo(ResearchSubject.ResearchSubjectStatus.OFFSTUDY);

        MappingSession withDm = session();
        map(withDm, "DM", dm(DM_001));
        map(withDm, "DS", ds(1, "NKAML-P1,DS,NKAML-P1-01-001,1,SCREENING COMPLETED,COMPLETED,DISPOSITION EVENT,,2021-05-01"));
        assertThat(Fixtures.mapped(withDm, "ResearchSubject", "NKAML-P1-NKAML-P1-01-001").sources())
                .extracting(SourceRecord::file).containsExactly("dm.csv");
    }
}
