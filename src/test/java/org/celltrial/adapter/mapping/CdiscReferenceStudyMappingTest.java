package org.celltrial.adapter.mapping;

import org.hl7.fhir.r4.model.Group;
import org.hl7.fhir.r4.model.ListResource;
import org.hl7.fhir.r4.model.MedicationAdministration;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.PlanDefinition;
import org.hl7.fhir.r4.model.ResearchStudy;
import org.hl7.fhir.r4.model.ResearchSubject;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.celltrial.adapter.mapping.Fixtures.UCUM;
import static org.celltrial.adapter.mapping.Fixtures.extension;
import static org.celltrial.adapter.mapping.Fixtures.resource;

/**
 * The CDISC SDTM MSG reference study (27 datasets written by CDISC, not by us) mapped as a whole: at least 99 % of its
 * records of every mapped domain must map, each rejection with its reason, and every dataset must have a mapping.
 */
class CdiscReferenceStudyMappingTest {

    private static CdiscReferenceStudy.Result result;

    private static synchronized CdiscReferenceStudy.Result study() {
        Assumptions.assumeTrue(Files.isDirectory(CdiscReferenceStudy.DEFAULT_DIR), "reference study not present");
        if (result == null) {
            result = CdiscReferenceStudy.map(Fixtures.mappings(), CdiscReferenceStudy.readDirectory(CdiscReferenceStudy.DEFAULT_DIR));
            System.out.println("CDISC SDTM MSG reference study:\n" + result.table()
                    + "data-quality issues (kept as text): " + result.issues.size());
        }
        return result;
    }

    @Test
    void referenceStudyMapsAtLeast99PercentOfItsRecords() {
        CdiscReferenceStudy.Result r = study();
        assertThat(r.notMapped).as("datasets without a mapping").isEmpty();
        assertThat(r.mapped()).as("mapped records").isGreaterThanOrEqualTo((int) Math.ceil(0.99 * r.records()));
        r.counts.forEach((domain, c) ->
                assertThat(c[1]).as("mapped records of %s", domain).isGreaterThanOrEqualTo((int) Math.ceil(0.99 * c[0])));
    }

    @Test
    void findingsCarryStandardAndOriginalResults() {
        MappingSession s = study().session;
        Observation alb = resource(s, Observation.class, "CDISCPILOT01-CDISC001-LB-1");
        assertThat(alb.getCode().getText()).isEqualTo("Albumin");
        assertThat(alb.getCode().getCodingFirstRep().getCode()).isEqualTo("ALB");
        assertThat(alb.getCategory().get(0).getCodingFirstRep().getCode()).isEqualTo("laboratory");
        assertThat(alb.getValueQuantity().getValue()).isEqualByComparingTo("39");
        assertThat(alb.getValueQuantity().getSystem()).isEqualTo(UCUM);
        assertThat(alb.getValueQuantity().getCode()).isEqualTo("g/L");
        assertThat(alb.getReferenceRangeFirstRep().getLow().getValue()).isEqualByComparingTo("35");
        assertThat(alb.getReferenceRangeFirstRep().getHigh().getValue()).isEqualByComparingTo("46");
        assertThat(alb.getInterpretationFirstRep().getCodingFirstRep().getCode()).isEqualTo("N");
        assertThat(extension(alb, "https://fhir.celltrial.org/StructureDefinition/original-result").getExtensionString("unit")).isEqualTo("g/dL");
        assertThat(alb.getEffectiveDateTimeType().getValueAsString()).isEqualTo("2012-11-23T11:20:00Z");
        Observation dbp = resource(s, Observation.class, "CDISCPILOT01-CDISC001-VS-1");
        assertThat(dbp.getCategory().get(0).getCodingFirstRep().getCode()).isEqualTo("vital-signs");
        assertThat(dbp.getValueQuantity().getCode()).isEqualTo("mm[Hg]");
    }

    @Test
    void relationshipAndTrialDesignDomainsHaveAHome() {
        MappingSession s = study().session;
        Observation race1 = resource(s, Observation.class, "CDISCPILOT01-CDISC008-SUPPDM-RACE1");
        assertThat(race1.getFocusFirstRep().getReference()).isEqualTo("Patient/CDISCPILOT01-CDISC008");
        assertThat(race1.getValueStringType().getValue()).isEqualTo("ASIAN");
        Observation suppec = resource(s, Observation.class, "CDISCPILOT01-CDISC009-SUPPEC-ECSEQ-122-ECREASOC");
        assertThat(suppec.getFocusFirstRep().getReference()).isEqualTo("MedicationAdministration/CDISCPILOT01-CDISC009-EC-122");
        assertThat(resource(s, MedicationAdministration.class, "CDISCPILOT01-CDISC009-EC-122").getStatus())
                .isEqualTo(MedicationAdministration.MedicationAdministrationStatus.NOTDONE);
        ListResource aeds = (ListResource) Fixtures.mapped(s, "List", "CDISCPILOT01-RELREC-AEDS").resource();
        assertThat(aeds.getEntry()).extracting(e -> e.getItem().getDisplay()).containsExactly("AE.AELNKID (ONE)", "DS.DSLNKID (ONE)");
        PlanDefinition protocol = resource(s, PlanDefinition.class, "CDISCPILOT01-protocol");
        assertThat(protocol.getAction()).extracting(PlanDefinition.PlanDefinitionActionComponent::getTitle)
                .contains("Arm ZAN_HIGH", "Element SCREEN", "Visit 1");
        assertThat(protocol.getAction().stream().filter(a -> a.getTitle().equals("Arm ZAN_HIGH")).findFirst().orElseThrow()
                .getAction()).hasSize(4);
        assertThat(resource(s, Group.class, "CDISCPILOT01-eligibility").getCharacteristic()).hasSize(62);
        ResearchStudy study = resource(s, ResearchStudy.class, "CDISCPILOT01");
        assertThat(study.getArm()).hasSize(3);
        assertThat(study.getExtensionsByUrl("https://fhir.celltrial.org/StructureDefinition/trial-summary-parameter")).hasSize(51);
    }
    @Test
    void datasetLevelRelationsBecomeTheRecordLevelRelationsTheyStandFor() {
        MappingSession s = study().session;
        // RELREC AEDS: AE records relate to DS records by AELNKID = DSLNKID; CDISC002's AE 8 (dyspnoea) and 9 (sudden
        // death) are linked to its DS 2 (discontinued for an adverse event) and DS 3 (death)
        assertThat(entries(s, "CDISCPILOT01-CDISC002-RELREC-AEDS-8"))
                .containsExactly("AdverseEvent/CDISCPILOT01-CDISC002-AE-8", "Observation/CDISCPILOT01-CDISC002-DS-2");
        assertThat(entries(s, "CDISCPILOT01-CDISC002-RELREC-AEDS-9"))
                .containsExactly("AdverseEvent/CDISCPILOT01-CDISC002-AE-9", "Observation/CDISCPILOT01-CDISC002-DS-3");
        assertThat(entries(s, "CDISCPILOT01-CDISC002-RELREC-AEDD-9"))
                .containsExactly("AdverseEvent/CDISCPILOT01-CDISC002-AE-9", "Observation/CDISCPILOT01-CDISC002-DD-1");
        // a MANY relation: one AE, the findings about it (FALNKGRP)
        assertThat(entries(s, "CDISCPILOT01-CDISC002-RELREC-AEFA-1")).containsExactly("AdverseEvent/CDISCPILOT01-CDISC002-AE-1",
                "Observation/CDISCPILOT01-CDISC002-FA-1", "Observation/CDISCPILOT01-CDISC002-FA-2", "Observation/CDISCPILOT01-CDISC002-FA-3",
                "Observation/CDISCPILOT01-CDISC002-FA-4", "Observation/CDISCPILOT01-CDISC002-FA-5", "Observation/CDISCPILOT01-CDISC002-FA-6");
        MappedResource aeds = Fixtures.mapped(s, "List", "CDISCPILOT01-CDISC002-RELREC-AEDS-8");
        assertThat(aeds.subjectId()).as("a subject's resource, written with the subject").isEqualTo("CDISCPILOT01-CDISC002");
        assertThat(aeds.sources()).as("retired with the records it relates").extracting(SourceRecord::file)
                .containsExactly("ae.json", "ds.json");
        // an AE without a linked disposition is in no AEDS relation
        assertThat(s.result().contains("List/CDISCPILOT01-CDISC002-RELREC-AEDS-2")).isFalse();
    }

    private static java.util.List<String> entries(MappingSession s, String listId) {
        ListResource list = (ListResource) Fixtures.mapped(s, "List", listId).resource();
        assertThat(list.getSubject().getReference()).isEqualTo("Patient/" + listId.substring(0, listId.indexOf("-RELREC")));
        return list.getEntry().stream().map(e -> e.getItem().getReference()).toList();
    }

    @Test
    void dispositionEventsOfStudyParticipationSetTheSubjectsStatusOnWhatDmBuilt() {
        MappingSession s = study().session;
        // one subject per kind of disposition in CDISC's DS: the study participation's event decides, not the
        // treatment's (same day, either order in the file) and not the informed consent (a protocol milestone)
        assertThat(subject(s, "CDISC002").getStatus()).isEqualTo(ResearchSubject.ResearchSubjectStatus.OFFSTUDY); // DEATH
        assertThat(subject(s, "CDISC005").getStatus()).isEqualTo(ResearchSubject.ResearchSubjectStatus.OFFSTUDY); // COMPLETED
        assertThat(subject(s, "CDISC006").getStatus()).isEqualTo(ResearchSubject.ResearchSubjectStatus.WITHDRAWN);
        assertThat(subject(s, "CDISC004").getStatus()).isEqualTo(ResearchSubject.ResearchSubjectStatus.OFFSTUDY); // PHYSICIAN DECISION
        MappedResource rs = Fixtures.mapped(s, "ResearchSubject", "CDISCPILOT01-CDISC006");
        assertThat(rs.contributionOnly()).as("DM built it, DS added to it").isFalse();
        assertThat(rs.sources()).extracting(SourceRecord::file).contains("dm.json", "ds.json");
        ResearchSubject withdrawn = (ResearchSubject) rs.resource();
        assertThat(withdrawn.getIndividual().getReference()).isEqualTo("Patient/CDISCPILOT01-CDISC006");
        assertThat(withdrawn.getStudy().getReference()).isEqualTo("ResearchStudy/CDISCPILOT01");
        assertThat(withdrawn.getAssignedArm()).isNotBlank();
    }

    private static ResearchSubject subject(MappingSession s, String usubjid) {
        return resource(s, ResearchSubject.class, "CDISCPILOT01-" + usubjid);
    }
}
