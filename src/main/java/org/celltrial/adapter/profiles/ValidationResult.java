package org.celltrial.adapter.profiles;

import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.StringType;

import java.util.List;
import java.util.Locale;

/** What validating one resource found. Immutable. */
public final class ValidationResult {

    /** Issue severity, as in OperationOutcome.issue.severity. */
    public enum Severity {
        FATAL, ERROR, WARNING, INFORMATION;

        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }

        public boolean isError() {
            return this == FATAL || this == ERROR;
        }

        static Severity of(ResultSeverityEnum s) {
            return s == null ? INFORMATION : switch (s) {
                case FATAL -> FATAL;
                case ERROR -> ERROR;
                case WARNING -> WARNING;
                case INFORMATION -> INFORMATION;
            };
        }
    }

    /**
     * One finding. {@code location} is the FHIRPath-like expression the HL7 validator gives
     * (e.g. {@code Patient.identifier[0]}); {@code line}/{@code col} point into the validated text (0 when unknown);
     * {@code messageId} is the validator's message key, or null.
     */
    public record Issue(Severity severity, String location, String message, String messageId, int line, int col) {
        @Override
        public String toString() {
            return severity.code() + " " + location + ": " + message;
        }
    }

    private final List<Issue> issues;

    public ValidationResult(List<Issue> issues) {
        this.issues = List.copyOf(issues);
    }

    /** Converts a HAPI {@link ca.uhn.fhir.validation.ValidationResult}. */
    public static ValidationResult of(ca.uhn.fhir.validation.ValidationResult hapi) {
        return new ValidationResult(hapi.getMessages().stream().map(ValidationResult::issue).toList());
    }

    static Issue issue(SingleValidationMessage m) {
        return new Issue(Severity.of(m.getSeverity()), m.getLocationString(), m.getMessage(), m.getMessageId(),
                m.getLocationLine() == null ? 0 : m.getLocationLine(), m.getLocationCol() == null ? 0 : m.getLocationCol());
    }

    public List<Issue> issues() {
        return issues;
    }

    public boolean hasErrors() {
        return issues.stream().anyMatch(i -> i.severity().isError());
    }

    public long errorCount() {
        return issues.stream().filter(i -> i.severity().isError()).count();
    }

    public long warningCount() {
        return issues.stream().filter(i -> i.severity() == Severity.WARNING).count();
    }

    public List<Issue> errors() {
        return issues.stream().filter(i -> i.severity().isError()).toList();
    }

    /** The findings as an R4 OperationOutcome (one issue per finding; an "information: no issues" issue if none). */
    public OperationOutcome toOperationOutcome() {
        OperationOutcome oo = new OperationOutcome();
        for (Issue i : issues) {
            OperationOutcome.OperationOutcomeIssueComponent c = oo.addIssue()
                    .setSeverity(OperationOutcome.IssueSeverity.fromCode(i.severity().code()))
                    .setCode(OperationOutcome.IssueType.PROCESSING)
                    .setDiagnostics(i.message());
            if (i.location() != null) {
                c.addExpression(i.location());
            }
            if (i.line() > 0) {
                c.addLocation("Line[" + i.line() + "] Col[" + i.col() + "]");
                c.addExtension("http://hl7.org/fhir/StructureDefinition/operationoutcome-issue-line", new IntegerType(i.line()));
                c.addExtension("http://hl7.org/fhir/StructureDefinition/operationoutcome-issue-col", new IntegerType(i.col()));
            }
            if (i.messageId() != null) {
                c.addExtension("http://hl7.org/fhir/StructureDefinition/operationoutcome-message-id", new StringType(i.messageId()));
            }
        }
        if (issues.isEmpty()) {
            oo.addIssue().setSeverity(OperationOutcome.IssueSeverity.INFORMATION)
                    .setCode(OperationOutcome.IssueType.INFORMATIONAL).setDiagnostics("No issues detected");
        }
        return oo;
    }

    @Override
    public String toString() {
        return issues.toString();
    }
}
