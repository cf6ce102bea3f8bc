package org.celltrial.adapter.profiles;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Resource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Validation on ingest: every resource the pipeline produces is checked against its profile (meta.profile, or
 * our profile for its type) by the fast {@link ProfileValidator}, built once and shared; an invalid resource is
 * not stored and its source records fail with the validator's findings as an OperationOutcome.
 */
@Configuration
public class ProfileValidationConfig {

    /**
     * Building and warming the validator takes ~5 s; it happens in the background so that it does not delay
     * the server's start. The first delivery waits for it if it arrives earlier.
     */
    @Bean(destroyMethod = "close")
    public AsyncProfileValidator profileValidator(FhirContext fhirContext,
                                                  @org.springframework.beans.factory.annotation.Value("${celltrial.validation.reuse-shapes:true}") boolean reuseShapes,
                                                  @org.springframework.beans.factory.annotation.Value("${celltrial.validation.checks-per-shape:" + ProfileValidator.CHECK_FIRST + "}") int checksPerShape) {
        return new AsyncProfileValidator(CompletableFuture.supplyAsync(
                () -> ProfileValidator.create(fhirContext, CellTrialPackage.load(fhirContext),
                        Runtime.getRuntime().availableProcessors(), reuseShapes, checksPerShape),
                runnable -> {
                    Thread t = new Thread(runnable, "profile-validator-warm-up");
                    t.setDaemon(true);
                    t.start();
                }));
    }

    /** The validator once it is ready. */
    public record AsyncProfileValidator(CompletableFuture<ProfileValidator> future) implements AutoCloseable {
        public ProfileValidator get() {
            return future.join();
        }

        @Override
        public void close() {
            future.thenAccept(ProfileValidator::close);
        }
    }

    @Bean
    public ResourceValidation resourceValidation(AsyncProfileValidator async) {
        // on the calling thread: the ingest workers already validate one subject per core
        return new ResourceValidation() {
            @Override
            public Map<Resource, OperationOutcome> invalid(List<Resource> resources) {
                ProfileValidator validator = async.get();
                Map<Resource, OperationOutcome> invalid = new IdentityHashMap<>();
                for (Resource resource : resources) {
                    ValidationResult result = validator.validate(resource);
                    if (result.hasErrors()) {
                        invalid.put(resource, toOperationOutcome(result));
                    }
                }
                return invalid;
            }

            @Override
            public String stats() {
                ProfileValidator.ShapeStats s = async.get().shapeStats();
                return "validations since start: " + s.validated() + " in full, " + s.reused() + " reused by shape ("
                        + s.checked() + " of them checked again)" + (s.enabled() ? "" : ", shape reuse off");
            }
        };
    }

    static OperationOutcome toOperationOutcome(ValidationResult result) {
        OperationOutcome oo = new OperationOutcome();
        for (ValidationResult.Issue issue : result.issues()) {
            OperationOutcome.OperationOutcomeIssueComponent c = oo.addIssue()
                    .setSeverity(switch (issue.severity()) {
                        case FATAL -> OperationOutcome.IssueSeverity.FATAL;
                        case ERROR -> OperationOutcome.IssueSeverity.ERROR;
                        case WARNING -> OperationOutcome.IssueSeverity.WARNING;
                        default -> OperationOutcome.IssueSeverity.INFORMATION;
                    })
                    .setCode(OperationOutcome.IssueType.PROCESSING)
                    .setDiagnostics(issue.message());
            if (issue.location() != null) {
                c.addExpression(issue.location());
            }
        }
        return oo;
    }
}
