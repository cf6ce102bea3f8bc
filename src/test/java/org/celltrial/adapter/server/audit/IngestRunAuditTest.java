package org.celltrial.adapter.server.audit;

import ca.uhn.fhir.context.FhirContext;
import org.celltrial.adapter.ingest.pipeline.IngestRun;
import org.hl7.fhir.r4.model.AuditEvent;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class IngestRunAuditTest {

    private static final Instant START = Instant.parse("2026-12-05T10:00:00Z");

    private static AuditEvent event(IngestRun.Kind kind, IngestRun.Outcome outcome, int read, int stored, int rejected,
                                    String failure) {
        return AuditEventFactory.toAuditEvent(new IngestRunRecord(new IngestRun(kind, "d-1", "site-07-2026-12",
                START, START.plusSeconds(42), outcome, read, stored, rejected, 77, failure)));
    }

    @Test
    void aDeliveryWithRejectionsIsAMinorFailureWithItsCounts() {
        AuditEvent e = event(IngestRun.Kind.DELIVERY, IngestRun.Outcome.WITH_REJECTIONS, 100, 97, 3, null);
        assertThat(e.getType().getCode()).isEqualTo("110107");
        assertThat(e.getSubtypeFirstRep().getCode()).isEqualTo("ingest-delivery");
        assertThat(e.getOutcome()).isEqualTo(AuditEvent.AuditEventOutcome._4);
        assertThat(e.getOutcomeDesc()).isEqualTo("97 of 100 records stored, 3 rejected");
        assertThat(e.getPeriod().getEnd()).isEqualTo(java.util.Date.from(START.plusSeconds(42)));
        AuditEvent.AuditEventEntityComponent delivery = e.getEntityFirstRep();
        assertThat(delivery.getWhat().getIdentifier().getValue()).isEqualTo("d-1");
        assertThat(delivery.getName()).isEqualTo("site-07-2026-12");
        assertThat(delivery.getDetail()).extracting(AuditEvent.AuditEventEntityDetailComponent::getType)
                .containsExactly("recordsRead", "recordsStored", "recordsRejected", "resourcesWritten");
        assertThat(delivery.getDetail().get(3).getValue().primitiveValue()).isEqualTo("77");
    }

    @Test
    void aRunThatDidNotFinishIsASeriousFailureNamingOnlyTheExceptionClass() {
        AuditEvent e = event(IngestRun.Kind.REPROCESS, IngestRun.Outcome.FAILED, 10, 0, 0, "StorageUnavailableException");
        assertThat(e.getSubtypeFirstRep().getCode()).isEqualTo("ingest-reprocess");
        assertThat(e.getOutcome()).isEqualTo(AuditEvent.AuditEventOutcome._8);
        assertThat(e.getOutcomeDesc()).isEqualTo("not finished: StorageUnavailableException");
    }

    @Test
    void theEventIsValidFhir() {
        AuditEvent e = event(IngestRun.Kind.RECODE, IngestRun.Outcome.COMPLETE, 5, 5, 0, null);
        assertThat(e.getOutcome()).isEqualTo(AuditEvent.AuditEventOutcome._0);
        String json = FhirContext.forR4Cached().newJsonParser().encodeResourceToString(e);
        assertThat(json).contains("\"action\":\"C\"").contains("ingest-recode");
    }
}
