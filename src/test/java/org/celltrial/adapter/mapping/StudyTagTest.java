package org.celltrial.adapter.mapping;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.celltrial.adapter.mapping.Fixtures.DM_001;
import static org.celltrial.adapter.mapping.Fixtures.dm;
import static org.celltrial.adapter.mapping.Fixtures.map;
import static org.celltrial.adapter.mapping.Fixtures.session;

class StudyTagTest {

    @Test
    void everyMappedResourceCarriesItsStudy() {
        MappingSession s = session();
        map(s, "DM", dm(DM_001));
        assertThat(s.result().all()).hasSizeGreaterThanOrEqualTo(3).allSatisfy(r -> {
            assertThat(StudyTag.of(r.resource())).as(r.resource().fhirType()).isEqualTo("NKAML-P1");
            assertThat(r.resource().getMeta().getTag()).filteredOn(t -> StudyTag.SYSTEM.equals(t.getSystem())).hasSize(1);
        });
    }
}
