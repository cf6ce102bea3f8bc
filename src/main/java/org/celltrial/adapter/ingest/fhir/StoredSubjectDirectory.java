package org.celltrial.adapter.ingest.fhir;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import org.celltrial.adapter.mapping.SubjectDirectory;
import org.celltrial.adapter.mapping.SubjectInfo;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.ResearchSubject;

import java.time.LocalDate;
import java.util.Optional;

/**
 * Finds subjects stored by earlier deliveries: by convention the DM mapping stores a subject's
 * ResearchSubject under the subject key as id, with RFSTDTC as period.start.
 */
public class StoredSubjectDirectory implements SubjectDirectory {

    private final IFhirResourceDao<ResearchSubject> dao;
    private final DaoRegistry daoRegistry;

    public StoredSubjectDirectory(DaoRegistry daoRegistry) {
        this.daoRegistry = daoRegistry;
        this.dao = daoRegistry.getResourceDao(ResearchSubject.class);
    }

    @Override
    public boolean exists(String ref) {
        IdType id = new IdType(ref);
        if (!daoRegistry.isResourceTypeSupported(id.getResourceType())) {
            return false;
        }
        try {
            daoRegistry.getResourceDao(id.getResourceType()).read(id, new SystemRequestDetails());
            return true;
        } catch (ResourceNotFoundException | ResourceGoneException e) {
            return false;
        }
    }

    @Override
    public Optional<SubjectInfo> find(String subjectId) {
        try {
            ResearchSubject rs = dao.read(new IdType("ResearchSubject", subjectId), new SystemRequestDetails());
            LocalDate start = null;
            if (rs.getPeriod().hasStart() && rs.getPeriod().getStartElement().getPrecision().ordinal() >= TemporalPrecisionEnum.DAY.ordinal()) {
                start = LocalDate.parse(rs.getPeriod().getStartElement().getValueAsString().substring(0, 10));
            }
            return Optional.of(new SubjectInfo(subjectId, start));
        } catch (ResourceNotFoundException | ResourceGoneException e) {
            return Optional.empty();
        }
    }
}
