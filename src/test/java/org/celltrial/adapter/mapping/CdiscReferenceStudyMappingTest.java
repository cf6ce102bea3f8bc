package org.celltrial.adapter.mapping;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CDISC SDTM MSG reference study (27 datasets written by CDISC, not by us) mapped as a whole: at least 99 % of its
 * records of every mapped domain must map, each rejection with its reason, and every dataset must have a mapping.
 */
class CdiscReferenceStudyMappingTest {

    @Test
    void referenceStudyMapsAtLeast99PercentOfItsRecords() {
        Assumptions.assumeTrue(Files.isDirectory(CdiscReferenceStudy.DEFAULT_DIR), "reference study not present");
        CdiscReferenceStudy.Result result = CdiscReferenceStudy.map(Fixtures.mappings(),
                CdiscReferenceStudy.readDirectory(CdiscReferenceStudy.DEFAULT_DIR));
        System.out.println("CDISC SDTM MSG reference study:\n" + result.table()
                + "data-quality issues (kept as text): " + result.issues.size());
        assertThat(result.notMapped).as("datasets without a mapping").isEmpty();
        assertThat(result.mapped()).as("mapped records").isGreaterThanOrEqualTo((int) Math.ceil(0.99 * result.records()));
        result.counts.forEach((domain, c) ->
                assertThat(c[1]).as("mapped records of %s", domain).isGreaterThanOrEqualTo((int) Math.ceil(0.99 * c[0])));
    }
}
