package org.celltrial.adapter.server.security;

import org.junit.jupiter.api.Test;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** How an export is narrowed to a client's studies: one study clause in every exported type's filters. */
class BulkExportAccessTest {

    private static final String AML = "_tag=https://fhir.celltrial.org/CodeSystem/study|NKAML-P1";

    private static List<String> decoded(List<String> filters) {
        return filters.stream().map(f -> URLDecoder.decode(f, StandardCharsets.UTF_8)).toList();
    }

    @Test
    void everyTypeGetsTheStudyClause() {
        assertThat(decoded(BulkExportAccess.narrowedFilters(List.of("Patient", "Procedure"), List.of(), Set.of("NKAML-P1"))))
                .containsExactly("Patient?" + AML, "Procedure?" + AML);
    }

    @Test
    void aClientsOwnFiltersAreEachNarrowedSinceHapiOrsThem() {
        List<String> narrowed = decoded(BulkExportAccess.narrowedFilters(List.of("Patient", "Procedure"),
                List.of("Patient?gender=female", "Patient?gender=male", "Observation?code=x"), Set.of("NKAML-P1")));
        assertThat(narrowed).containsExactly("Patient?gender=female&" + AML, "Patient?gender=male&" + AML, "Procedure?" + AML);
    }

    @Test
    void severalStudiesAreOneClauseAndNoStudyMatchesNothing() {
        assertThat(decoded(BulkExportAccess.narrowedFilters(List.of("Patient"), List.of(), Set.of("B", "A"))))
                .containsExactly("Patient?_tag=https://fhir.celltrial.org/CodeSystem/study|A,https://fhir.celltrial.org/CodeSystem/study|B");
        assertThat(decoded(BulkExportAccess.narrowedFilters(List.of("Patient"), List.of(), Set.of())))
                .containsExactly("Patient?_tag=https://fhir.celltrial.org/CodeSystem/study|-");
    }

    @Test
    void everyStudyLeavesTheFiltersAsTheyWereInANewList() {
        List<String> filters = new ArrayList<>(List.of("Patient?gender=female"));
        List<String> out = BulkExportAccess.narrowedFilters(List.of("Patient"), filters, null);
        assertThat(out).isEqualTo(filters).isNotSameAs(filters);
    }
}
