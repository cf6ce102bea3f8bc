package org.celltrial.adapter.cli;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.LenientErrorHandler;
import ca.uhn.fhir.rest.api.EncodingEnum;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import org.celltrial.adapter.profiles.CellTrialPackage;
import org.celltrial.adapter.profiles.ProfileValidator;
import org.celltrial.adapter.profiles.ValidationResult;
import org.celltrial.adapter.profiles.ValidationResult.Issue;
import org.celltrial.adapter.profiles.ValidationResult.Severity;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** {@code validate <files or folders...>}: validates FHIR JSON/XML files against our profiles, offline. */
@Command(name = "validate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Validates FHIR R4 JSON or XML files against the CellTrial profiles, offline.",
                "Folders are searched recursively for *.json and *.xml. A resource without meta.profile is validated "
                        + "against our profile for its type; in a Bundle, the bundle and each entry resource are validated.",
                "Exit code: 0 no errors, 1 errors found, 2 usage or I/O error."})
public final class ValidateCommand implements Callable<Integer> {

    private static final int PROGRESS_ABOVE = 50;

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "FHIR JSON/XML files, or folders (recursive)")
    List<Path> paths;

    @Option(names = "--profile", paramLabel = "CANONICAL",
            description = "Validate every resource (Bundle entries too) against this profile, in addition to its meta.profile")
    String profile;

    @Option(names = "--threads", paramLabel = "N", description = "Validation threads (default: ${DEFAULT-VALUE})")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--quiet", description = "Print only errors and the summary")
    boolean quiet;

    @Option(names = "--format", paramLabel = "text|json",
            description = "Output: text (default) or json (an OperationOutcome per file, and the summary)")
    String format = "text";

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        boolean json;
        switch (format.toLowerCase(Locale.ROOT)) {
            case "text" -> json = false;
            case "json" -> json = true;
            default -> {
                err.println("error: --format must be text or json, not '" + format + "'");
                return CellTrialCli.USAGE_OR_IO;
            }
        }
        if (threads < 1) {
            err.println("error: --threads must be at least 1");
            return CellTrialCli.USAGE_OR_IO;
        }
        List<Path> files;
        try {
            files = collect(paths);
        } catch (IOException e) {
            err.println("error: " + e.getMessage());
            return CellTrialCli.USAGE_OR_IO;
        }
        if (files.isEmpty()) {
            err.println("error: no *.json or *.xml files in " + paths);
            return CellTrialCli.USAGE_OR_IO;
        }

        long startup = System.nanoTime();
        FhirContext ctx = FhirContext.forR4Cached();
        try (ProfileValidator validator = ProfileValidator.create(ctx, CellTrialPackage.load(ctx), threads)) {
            if (profile != null && validator.validationSupport().fetchStructureDefinition(profile) == null) {
                err.println("error: unknown profile " + profile + " (known: " + validator.profilePackage().defaultProfiles().values() + ")");
                return CellTrialCli.USAGE_OR_IO;
            }
            double startupSeconds = (System.nanoTime() - startup) / 1e9;
            return validateFiles(validator, files, json, out, err, startupSeconds);
        }
    }

    private int validateFiles(ProfileValidator validator, List<Path> files, boolean json, PrintWriter out, PrintWriter err,
                              double startupSeconds) throws InterruptedException {
        long start = System.nanoTime();
        Summary sum = new Summary();
        JsonArray jsonFiles = new JsonArray();
        boolean progress = files.size() > PROGRESS_ABOVE;
        boolean console = System.console() != null;
        int every = Math.max(100, files.size() / 20);
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "validate");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<FileReport>> reports = new ArrayList<>(files.size());
            for (Path f : files) {
                reports.add(pool.submit(() -> validateFile(validator, f)));
            }
            for (int i = 0; i < reports.size(); i++) {
                FileReport report;
                try {
                    report = reports.get(i).get();
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    report = FileReport.failed(files.get(i), Severity.FATAL, "validator failed: " + cause, false);
                }
                reports.set(i, null); // let the report be collected once printed
                sum.add(report);
                if (json) {
                    jsonFiles.add(report.toJson(validator.fhirContext()));
                } else {
                    printText(report, out);
                }
                if (progress && ((i + 1) % every == 0 || (console && (i + 1) % 10 == 0))) {
                    if (console) {
                        err.print("\rvalidated " + (i + 1) + "/" + files.size() + " files");
                        err.flush();
                    } else {
                        err.println("validated " + (i + 1) + "/" + files.size() + " files");
                    }
                }
            }
            if (progress && console) {
                err.print("\r");
                err.flush();
            }
        } finally {
            pool.shutdownNow();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (json) {
            JsonObject doc = new JsonObject();
            doc.add("files", jsonFiles);
            doc.add("summary", sum.toJson(seconds, startupSeconds));
            out.println(new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(doc));
        } else {
            out.println(sum.text(seconds, startupSeconds));
        }
        out.flush();
        if (sum.ioErrors > 0) {
            return CellTrialCli.USAGE_OR_IO;
        }
        return sum.errors > 0 ? CellTrialCli.FOUND_ERRORS : CellTrialCli.OK;
    }

    private void printText(FileReport report, PrintWriter out) {
        for (Finding f : report.findings) {
            if (quiet && !f.issue.severity().isError()) {
                continue;
            }
            out.println(report.file + ": " + f.issue.severity().code() + (f.location() == null ? "" : " " + f.location())
                    + ": " + f.issue.message());
        }
        if (!quiet && report.findings.isEmpty()) {
            out.println(report.file + ": ok (" + report.resources + (report.resources == 1 ? " resource)" : " resources)"));
        }
    }

    /** Validates one file: its resource, or a Bundle and each entry resource. Never throws. */
    FileReport validateFile(ProfileValidator validator, Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (MalformedInputException e) {
            return FileReport.failed(file, Severity.ERROR, "not a FHIR JSON or XML file: not UTF-8 text", false);
        } catch (IOException e) {
            return FileReport.failed(file, Severity.FATAL, "cannot read: " + e, true);
        }
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        EncodingEnum encoding = EncodingEnum.detectEncodingNoDefault(text);
        if (encoding == null) {
            return FileReport.failed(file, Severity.ERROR, "not a FHIR JSON or XML file (it starts with neither '{' nor '<')", false);
        }
        FileReport report = new FileReport(file);
        // HAPI's parse is only needed for the entries of a Bundle
        IBaseResource parsed = text.contains("Bundle") ? parseLeniently(validator.fhirContext(), encoding, text) : null;
        boolean bundle = parsed instanceof Bundle;
        String forced = profile != null && (bundle == isBundleProfile(validator)) ? profile : null;
        report.add(null, null, validator.validate(text, encoding, forced));
        if (parsed instanceof Bundle b) {
            String entryProfile = profile != null && !isBundleProfile(validator) ? profile : null;
            for (int i = 0; i < b.getEntry().size(); i++) {
                IBaseResource entry = b.getEntry().get(i).getResource();
                if (entry != null) {
                    report.add("Bundle.entry[" + i + "].resource", validator.fhirContext().getResourceType(entry),
                            validator.validate(entry, entryProfile));
                }
            }
        }
        return report;
    }

    private boolean isBundleProfile(ProfileValidator validator) {
        IBaseResource sd = validator.validationSupport().fetchStructureDefinition(profile);
        return sd instanceof org.hl7.fhir.r4.model.StructureDefinition s && "Bundle".equals(s.getType());
    }

    /** HAPI's own parse, only to find Bundle entries; a file it cannot parse is still validated (and the validator says why). */
    private static IBaseResource parseLeniently(FhirContext ctx, EncodingEnum encoding, String text) {
        try {
            IParser parser = encoding.newParser(ctx);
            LenientErrorHandler handler = new LenientErrorHandler(false);
            handler.setErrorOnInvalidValue(false);
            parser.setParserErrorHandler(handler);
            return parser.parseResource(text);
        } catch (DataFormatException | IllegalArgumentException | ClassCastException e) {
            return null;
        }
    }

    /** The files to validate: given files as they are, folders searched recursively for *.json / *.xml, sorted. */
    static List<Path> collect(List<Path> paths) throws IOException {
        Set<Path> files = new LinkedHashSet<>();
        for (Path p : paths) {
            if (Files.isRegularFile(p)) {
                files.add(p);
            } else if (Files.isDirectory(p)) {
                try (Stream<Path> walk = Files.walk(p)) {
                    walk.filter(Files::isRegularFile).filter(f -> {
                        String n = f.getFileName().toString().toLowerCase(Locale.ROOT);
                        return n.endsWith(".json") || n.endsWith(".xml");
                    }).sorted().forEach(files::add);
                }
            } else {
                throw new IOException("no such file or folder: " + p);
            }
        }
        return new ArrayList<>(files);
    }

    /** One issue of a file, with where it is (the bundle entry, if any). */
    record Finding(String entryPath, String entryType, Issue issue) {
        /** The location, for an entry as a path from the Bundle: Bundle.entry[2].resource.birthDate. */
        String location() {
            String loc = issue.location();
            Matcher m = loc == null ? null : FileReport.IN_ENTRY.matcher(loc);
            if (m != null && m.matches()) {
                String rest = m.group(3);
                if (rest.startsWith(m.group(2))) {
                    rest = rest.substring(m.group(2).length());
                }
                return m.group(1) + (rest.isEmpty() || rest.startsWith(".") || rest.startsWith("[") ? rest : "." + rest);
            }
            if (entryPath == null) {
                return loc;
            }
            if (loc == null) {
                return entryPath;
            }
            if (entryType != null && (loc.equals(entryType) || loc.startsWith(entryType + ".") || loc.startsWith(entryType + "["))) {
                return entryPath + loc.substring(entryType.length());
            }
            return entryPath + " " + loc;
        }
    }

    /** What one file gave. */
    static final class FileReport {
        final Path file;
        private static final Pattern IN_ENTRY = Pattern.compile("(Bundle\\.entry\\[\\d+\\]\\.resource)/\\*([A-Za-z]+)/[^*]*\\*/(.*)");

        final List<Finding> findings = new ArrayList<>();
        private final Set<String> seen = new java.util.HashSet<>();
        int resources;
        boolean ioError;

        FileReport(Path file) {
            this.file = file;
        }

        static FileReport failed(Path file, Severity severity, String message, boolean ioError) {
            FileReport r = new FileReport(file);
            r.findings.add(new Finding(null, null, new Issue(severity, null, message, null, 0, 0)));
            r.ioError = ioError;
            return r;
        }

        void add(String entryPath, String entryType, ValidationResult result) {
            resources++;
            for (Issue i : result.issues()) {
                Finding f = new Finding(entryPath, entryType, i);
                Matcher m = i.location() == null ? null : IN_ENTRY.matcher(i.location());
                if (m != null && m.matches()) {
                    // the whole-bundle validation also reports inside entries: Bundle.entry[1].resource/*Procedure/x*/...
                    f = new Finding(m.group(1), m.group(2), i);
                }
                if (seen.add(f.issue.severity() + "|" + f.location() + "|" + f.issue.message())) {
                    findings.add(f); // an entry issue found by both the bundle and the entry validation is listed once
                }
            }
        }

        long count(boolean errors) {
            return findings.stream().filter(f -> errors ? f.issue.severity().isError() : f.issue.severity() == Severity.WARNING).count();
        }

        JsonObject toJson(FhirContext ctx) {
            OperationOutcome oo = new OperationOutcome();
            for (Finding f : findings) {
                Issue i = f.issue;
                OperationOutcome.OperationOutcomeIssueComponent c = new ValidationResult(List.of(i)).toOperationOutcome().getIssueFirstRep();
                c.getExpression().clear();
                if (f.location() != null) {
                    c.addExpression(f.location());
                }
                oo.addIssue(c);
            }
            if (findings.isEmpty()) {
                oo.addIssue().setSeverity(OperationOutcome.IssueSeverity.INFORMATION)
                        .setCode(OperationOutcome.IssueType.INFORMATIONAL).setDiagnostics("No issues detected");
            }
            JsonObject o = new JsonObject();
            o.addProperty("file", file.toString());
            o.addProperty("resources", resources);
            o.addProperty("errors", count(true));
            o.addProperty("warnings", count(false));
            o.add("outcome", com.google.gson.JsonParser.parseString(ctx.newJsonParser().encodeResourceToString(oo)));
            return o;
        }
    }

    private static final class Summary {
        int files;
        int filesWithErrors;
        long resources;
        long errors;
        long warnings;
        int ioErrors;

        void add(FileReport r) {
            files++;
            resources += r.resources;
            long e = r.count(true);
            errors += e;
            warnings += r.count(false);
            if (e > 0) {
                filesWithErrors++;
            }
            if (r.ioError) {
                ioErrors++;
            }
        }

        String text(double seconds, double startupSeconds) {
            return String.format(Locale.ROOT,
                    "Summary: %d files (%d with errors), %d resources, %d errors, %d warnings; %.2f s, %.0f resources/s "
                            + "(validator start-up %.1f s not included)",
                    files, filesWithErrors, resources, errors, warnings, seconds, resources / Math.max(seconds, 1e-9), startupSeconds);
        }

        JsonObject toJson(double seconds, double startupSeconds) {
            JsonObject o = new JsonObject();
            o.addProperty("files", files);
            o.addProperty("filesWithErrors", filesWithErrors);
            o.addProperty("resources", resources);
            o.addProperty("errors", errors);
            o.addProperty("warnings", warnings);
            o.addProperty("seconds", Math.round(seconds * 1000) / 1000.0);
            o.addProperty("resourcesPerSecond", Math.round(resources / Math.max(seconds, 1e-9)));
            o.addProperty("startupSeconds", Math.round(startupSeconds * 10) / 10.0);
            return o;
        }
    }
}
