package org.celltrial.adapter.mapping;

import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.ResearchStudy;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;
import static org.celltrial.adapter.mapping.Fixtures.DM_001;
import static org.celltrial.adapter.mapping.Fixtures.DM_003;
import static org.celltrial.adapter.mapping.Fixtures.TS_HEADER;
import static org.celltrial.adapter.mapping.Fixtures.dm;
import static org.celltrial.adapter.mapping.Fixtures.ids;
import static org.celltrial.adapter.mapping.Fixtures.json;
import static org.celltrial.adapter.mapping.Fixtures.map;
import static org.celltrial.adapter.mapping.Fixtures.mapped;
import static org.celltrial.adapter.mapping.Fixtures.resource;
import static org.celltrial.adapter.mapping.Fixtures.row;
import static org.celltrial.adapter.mapping.Fixtures.session;

class TsMappingTest {

    /** nk-nb-auto/ts.csv (the INDIC value is one line here; the CSV reader handles the quoted line break). */
    private static final List<String> NB_TS = List.of(
            "NKNB-P12,TS,1,TITLE,Trial Title,Expanded and activated haploidentical NK cell infusion before autologous stem cell transplantation in high-risk neuroblastoma: a phase I/II pilot study",
            "NKNB-P12,TS,1,TPHASE,Trial Phase Classification,PHASE I/II TRIAL",
            "NKNB-P12,TS,1,REGID,Registry Identifier,IRCT20140818018842N32",
            "NKNB-P12,TS,1,INDIC,Trial Disease/Condition Indication,High-risk neuroblastoma",
            "NKNB-P12,TS,1,TRT,Investigational Therapy or Treatment,Ex vivo expanded IL-2 activated haploidentical donor NK cells",
            "NKNB-P12,TS,1,PLANSUB,Planned Number of Subjects,5",
            "NKNB-P12,TS,1,SPONSOR,Clinical Study Sponsor,Synthetic Demo Sponsor");

    private static final String NB_DM = "NKNB-P12,DM,NKNB-P12-01-001,001,2022-02-08,2022-02-08,2021-12-10,01,2017-06,4,YEARS,M,WHITE,NOT HISPANIC OR LATINO,NKAUTO,Donor NK cells before autologous HSCT,NKAUTO,Donor NK cells before autologous HSCT,IRN,,";

    private static void mapTs(MappingSession s) {
        for (int i = 0; i < NB_TS.size(); i++) {
            map(s, "TS", row("ts.csv", i + 1, TS_HEADER, NB_TS.get(i)));
        }
    }

    @Test
    void allTsRowsBuildOneStudyLevelResearchStudy() {
        MappingSession s = session();
        mapTs(s);
        assertThat(ids(s)).containsExactly("ResearchStudy/NKNB-P12");
        MappedResource m = mapped(s, "ResearchStudy", "NKNB-P12");
        assertThat(m.subjectId()).isNull();
        assertThat(m.sources()).extracting(SourceRecord::row).containsExactly(1, 2, 3, 4, 5, 6, 7);
    }

    @Test
    void titlePhaseConditionSponsorAndTreatment() {
        MappingSession s = session();
        mapTs(s);
        ResearchStudy study = resource(s, ResearchStudy.class, "NKNB-P12");

        assertThat(study.getTitle()).startsWith("Expanded and activated haploidentical NK cell infusion")
                .endsWith("a phase I/II pilot study");
        assertThat(study.getPhase().getCoding()).extracting(Coding::getSystem, Coding::getCode, Coding::getDisplay)
                .containsExactly(tuple("http://terminology.hl7.org/CodeSystem/research-study-phase", "phase-1-phase-2", "Phase 1/Phase 2"));
        assertThat(study.getPhase().getText()).isEqualTo("PHASE I/II TRIAL");
        assertThat(study.getCondition()).extracting(CodeableConcept::getText).containsExactly("High-risk neuroblastoma");
        assertThat(study.getSponsor().getDisplay()).isEqualTo("Synthetic Demo Sponsor");
        assertThat(study.getDescription()).isEqualTo("Study treatment: Ex vivo expanded IL-2 activated haploidentical donor NK cells");
        assertThat(study.getStatus()).isEqualTo(ResearchStudy.ResearchStudyStatus.ACTIVE);
    }

    @Test
    void registryIdBecomesASecondaryIdentifier() {
        MappingSession s = session();
        mapTs(s);
        ResearchStudy study = resource(s, ResearchStudy.class, "NKNB-P12");
        assertThat(study.getIdentifier()).extracting(Identifier::getSystem, Identifier::getValue,
                        i -> i.getUse() == null ? null : i.getUse().toCode(), i -> i.getType().getText())
                .containsExactly(
                        tuple("https://fhir.celltrial.org/sid/studyid", "NKNB-P12", null, null),
                        tuple(null, "IRCT20140818018842N32", "secondary", "Trial registry identifier"));
    }

    @Test
    void repeatedRegistryRowDoesNotDuplicateTheIdentifier() {
        MappingSession s = session();
        mapTs(s);
        map(s, "TS", row("ts.csv", 8, TS_HEADER, NB_TS.get(2)));
        assertThat(resource(s, ResearchStudy.class, "NKNB-P12").getIdentifier()).hasSize(2);
    }

    @Test
    void dmAndTsRowsMergeIntoOneResearchStudy() {
        MappingSession s = session();
        mapTs(s);
        map(s, "DM", dm(NB_DM));
        map(s, "DM", dm(NB_DM.replace("-01-001,001,", "-01-002,002,")));

        assertThat(Fixtures.all(s, ResearchStudy.class)).hasSize(1);
        ResearchStudy study = resource(s, ResearchStudy.class, "NKNB-P12");
        assertThat(study.getTitle()).contains("neuroblastoma");
        assertThat(study.getPhase().getCodingFirstRep().getCode()).isEqualTo("phase-1-phase-2");
        assertThat(study.getArm()).extracting(ResearchStudy.ResearchStudyArmComponent::getName).containsExactly("NKAUTO");
        assertThat(study.getIdentifier()).extracting(Identifier::getValue)
                .containsExactly("NKNB-P12", "IRCT20140818018842N32");
        MappedResource m = mapped(s, "ResearchStudy", "NKNB-P12");
        assertThat(m.subjectId()).isNull();
        assertThat(m.sources()).extracting(SourceRecord::file).containsExactly(
                "ts.csv", "ts.csv", "ts.csv", "ts.csv", "ts.csv", "ts.csv", "ts.csv", "dm.csv", "dm.csv");
    }

    @Test
    void mergeDoesNotDependOnOrder() {
        MappingSession tsFirst = session();
        mapTs(tsFirst);
        map(tsFirst, "DM", dm(NB_DM));
        MappingSession dmFirst = session();
        map(dmFirst, "DM", dm(NB_DM));
        mapTs(dmFirst);

        ResearchStudy a = resource(tsFirst, ResearchStudy.class, "NKNB-P12");
        ResearchStudy b = resource(dmFirst, ResearchStudy.class, "NKNB-P12");
        assertThat(json(b)).isEqualTo(json(a));
        assertThat(mapped(dmFirst, "ResearchStudy", "NKNB-P12").subjectId()).isNull();
    }

    @Test
    void studiesAreKeptApart() {
        MappingSession s = session();
        mapTs(s);
        map(s, "DM", dm(DM_001));
        map(s, "DM", dm(DM_003));
        assertThat(Fixtures.all(s, ResearchStudy.class)).extracting(r -> r.getIdElement().getIdPart())
                .containsExactly("NKNB-P12", "NKAML-P1");
        assertThat(resource(s, ResearchStudy.class, "NKAML-P1").hasTitle()).isFalse();
    }

    @Test
    void unknownPhaseIsKeptAsTextAndFlagged() {
        MappingSession s = session();
        mapTs(s);
        String before = json(resource(s, ResearchStudy.class, "NKNB-P12"));

        java.util.List<DataQualityIssue> issues = Fixtures.mapWithIssues(s, "TS",
                row("ts.csv", 9, TS_HEADER, "NKNB-P12,TS,2,TPHASE,Trial Phase Classification,PHASE V TRIAL"));

        assertThat(issues).extracting(DataQualityIssue::variable, DataQualityIssue::value)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("TSVAL", "PHASE V TRIAL"));
        assertThat(json(resource(s, ResearchStudy.class, "NKNB-P12"))).isNotEqualTo(before);
        assertThat(resource(s, ResearchStudy.class, "NKNB-P12").getPhase().getText()).isEqualTo("PHASE V TRIAL");
    }

    @Test
    void parameterCodeIsMatchedCaseInsensitively() {
        MappingSession s = session();
        map(s, "TS", row("ts.csv", 1, TS_HEADER, "NKAML-P1,TS,1,tphase,Trial Phase Classification,phase i trial"));
        ResearchStudy study = resource(s, ResearchStudy.class, "NKAML-P1");
        assertThat(study.getPhase().getCodingFirstRep().getCode()).isEqualTo("phase-1");
        assertThat(study.getPhase().getText()).isEqualTo("phase i trial");
    }
}
