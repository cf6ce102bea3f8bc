package org.celltrial.adapter.server.bulk;

import ca.uhn.fhir.batch2.api.IJobCoordinator;
import ca.uhn.fhir.batch2.model.JobInstance;
import ca.uhn.fhir.batch2.model.StatusEnum;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.model.BulkExportJobResults;
import ca.uhn.fhir.rest.api.RequestTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.api.server.bulk.BulkExportJobParameters;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.util.JsonUtil;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.OperationOutcome;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The status URL of a Bulk Data export ({@code [base]/$export-poll-status?_jobId=…}, the kick-off's Content-Location),
 * answered as the Bulk Data Access IG 2.0 says, over HAPI's batch2 job (HAPI's own answer is kept only for a failed
 * job):
 * <ul>
 *   <li>running: 202 with {@code X-Progress} and {@code Retry-After} (seconds, {@code celltrial.bulk.retry-after});</li>
 *   <li>done: 200 with the manifest: {@code transactionTime}, {@code request}, {@code requiresAccessToken} (true when
 *       security is on), {@code output[]} (type, url of an NDJSON file, a Binary) and {@code error[]};</li>
 *   <li>DELETE: a running export is cancelled, a finished one has its files deleted; 202. Afterwards the status URL
 *       answers 404, as does a job of another client (security on: the job remembers its client) or an unknown id.</li>
 * </ul>
 */
public class BulkExportStatus {

    static final String OPERATION = "$export-poll-status";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final IJobCoordinator jobs;
    private final ca.uhn.fhir.batch2.api.IJobMaintenanceService maintenance;
    private final java.util.concurrent.atomic.AtomicLong lastNudge = new java.util.concurrent.atomic.AtomicLong();
    private final DaoRegistry daos;
    private final FhirContext ctx;
    private final boolean requiresAccessToken;
    private final int retryAfterSeconds;
    /** Whether the current request's client may see a job (security off: always). */
    private final Predicate<BulkExportJobParameters> mayAccess;

    public BulkExportStatus(IJobCoordinator jobs, ca.uhn.fhir.batch2.api.IJobMaintenanceService maintenance, DaoRegistry daos,
                            FhirContext ctx, boolean requiresAccessToken, int retryAfterSeconds,
                            Predicate<BulkExportJobParameters> mayAccess) {
        this.jobs = jobs;
        this.maintenance = maintenance;
        this.daos = daos;
        this.ctx = ctx;
        this.requiresAccessToken = requiresAccessToken;
        this.retryAfterSeconds = retryAfterSeconds;
        this.mayAccess = mayAccess;
    }

    /** Answers a status request itself (returns false) or leaves it to HAPI (true). */
    @Hook(Pointcut.SERVER_INCOMING_REQUEST_POST_PROCESSED)
    public boolean status(RequestDetails request, HttpServletRequest servletRequest, HttpServletResponse response) throws IOException {
        if (!OPERATION.equals(request.getOperation()) || request.getResourceName() != null) {
            return true;
        }
        // answered here, before HAPI's handler: the audit trail learns the interaction from us
        servletRequest.setAttribute(org.celltrial.adapter.server.audit.AuditCapture.INTERACTION, OPERATION);
        String[] ids = request.getParameters().get("_jobId");
        if (ids == null || ids.length != 1 || ids[0].isBlank()) {
            return outcome(response, 400, "the status URL needs one _jobId");
        }
        JobInstance job;
        try {
            job = jobs.getInstance(ids[0]);
        } catch (ResourceNotFoundException e) {
            return outcome(response, 404, "no such export");
        }
        BulkExportJobParameters parameters = job.getParameters(BulkExportJobParameters.class);
        if (!mayAccess.test(parameters)) {
            return outcome(response, 404, "no such export");
        }
        StatusEnum status = job.getStatus();
        boolean delete = request.getRequestType() == RequestTypeEnum.DELETE;
        if (status == StatusEnum.CANCELLED) {
            return outcome(response, 404, "the export was deleted");
        }
        if (status == StatusEnum.COMPLETED) {
            Map<String, List<String>> files = files(job);
            if (filesDeleted(files)) {
                return outcome(response, 404, "the export was deleted");
            }
            if (delete) {
                deleteFiles(files);
                return outcome(response, 202, "the export's files were deleted");
            }
            return manifest(response, request, job, files);
        }
        if (status == StatusEnum.FAILED || delete) {
            return true; // HAPI: 500 with the job's error; a DELETE of a running export cancels its job (202)
        }
        nudge();
        response.setStatus(202);
        response.setHeader("X-Progress", "export " + status.name().toLowerCase().replace('_', ' '));
        response.setHeader("Retry-After", Integer.toString(retryAfterSeconds));
        response.setHeader("Cache-Control", "no-store");
        return false;
    }

    /**
     * HAPI's batch2 jobs move from step to step in a maintenance pass, once a minute: an export of a few resources would
     * take minutes. A kick-off and each poll of a running export start a pass (at most one every half second; HAPI
     * runs one at a time), so an export finishes about as soon as its work is done.
     */
    @Hook(Pointcut.SERVER_PROCESSING_COMPLETED_NORMALLY)
    public void kickedOff(RequestDetails request) {
        if ("$export".equals(request.getOperation())) {
            nudge();
        }
    }

    /**
     * The IG's short forms of the output format ({@code ndjson}, {@code application/ndjson}) as the one media type: HAPI
     * writes the format asked for as its files' content type, and a file must be served as {@code application/fhir+ndjson}.
     */
    @Hook(Pointcut.STORAGE_PRE_INITIATE_BULK_EXPORT)
    public void oneOutputFormat(BulkExportJobParameters parameters) {
        String format = parameters.getOutputFormat();
        if ("ndjson".equals(format) || "application/ndjson".equals(format)) {
            parameters.setOutputFormat("application/fhir+ndjson");
        }
    }

    private void nudge() {
        long now = System.currentTimeMillis();
        long last = lastNudge.get();
        if (now - last >= 500 && lastNudge.compareAndSet(last, now)) {
            maintenance.triggerMaintenancePass();
        }
    }

    private static Map<String, List<String>> files(JobInstance job) {
        if (job.getReport() == null || job.getReport().isBlank()) {
            return Map.of();
        }
        Map<String, List<String>> files = JsonUtil.deserialize(job.getReport(), BulkExportJobResults.class).getResourceTypeToBinaryIds();
        return files == null ? Map.of() : files;
    }

    private boolean filesDeleted(Map<String, List<String>> files) {
        for (List<String> ids : files.values()) {
            for (String id : ids) {
                try {
                    daos.getResourceDao("Binary").read(new IdType(id).toUnqualifiedVersionless(), new SystemRequestDetails());
                } catch (ResourceGoneException | ResourceNotFoundException e) {
                    return true;
                }
                return false; // one file tells: all of a job's files are deleted together
            }
        }
        return false;
    }

    private void deleteFiles(Map<String, List<String>> files) {
        for (List<String> ids : files.values()) {
            for (String id : ids) {
                try {
                    daos.getResourceDao("Binary").delete(new IdType(id).toUnqualifiedVersionless(), new SystemRequestDetails());
                } catch (ResourceGoneException | ResourceNotFoundException e) {
                    // purged already (celltrial.fhir.storage.bulk-export-file-retention-period-hours)
                }
            }
        }
    }

    private boolean manifest(HttpServletResponse response, RequestDetails request, JobInstance job,
                             Map<String, List<String>> files) throws IOException {
        BulkExportJobResults results = JsonUtil.deserialize(job.getReport(), BulkExportJobResults.class);
        String base = request.getFhirServerBase();
        ObjectNode manifest = JSON.createObjectNode();
        manifest.put("transactionTime", new InstantType(job.getStartTime()).getValueAsString());
        manifest.put("request", results.getOriginalRequestUrl());
        manifest.put("requiresAccessToken", requiresAccessToken);
        ArrayNode output = manifest.putArray("output");
        files.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            for (String id : e.getValue()) {
                output.addObject().put("type", e.getKey())
                        .put("url", base + "/" + new IdType(id).toUnqualifiedVersionless().getValue());
            }
        });
        manifest.putArray("error");
        response.setStatus(200);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store");
        JSON.writeValue(response.getWriter(), manifest);
        return false;
    }

    private boolean outcome(HttpServletResponse response, int status, String message) throws IOException {
        OperationOutcome oo = new OperationOutcome();
        oo.addIssue().setSeverity(status >= 400 ? OperationOutcome.IssueSeverity.ERROR : OperationOutcome.IssueSeverity.INFORMATION)
                .setCode(status == 404 ? OperationOutcome.IssueType.NOTFOUND
                        : status >= 400 ? OperationOutcome.IssueType.INVALID : OperationOutcome.IssueType.INFORMATIONAL)
                .setDiagnostics(message);
        response.setStatus(status);
        response.setContentType("application/fhir+json");
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write(ctx.newJsonParser().encodeResourceToString(oo));
        response.getWriter().flush();
        return false;
    }
}
