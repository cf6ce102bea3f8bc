package org.celltrial.adapter.cli;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.validation.FhirValidator;
import org.celltrial.adapter.profiles.CellTrialPackage;
import org.celltrial.adapter.profiles.ProfileValidator;
import org.celltrial.adapter.profiles.StockValidation;
import org.celltrial.adapter.profiles.ValidationResult;
import org.celltrial.adapter.profiles.ValidationSupports;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code bench-validate}: validation throughput of the stock HAPI paths and of {@link ProfileValidator} on the same
 * resources (both demo studies, mapped and replicated with distinct ids), in one run. Also checks that the stock path
 * and ours give the same findings. Results: docs/benchmarks.md, section "Validation throughput".
 */
@Command(name = "bench-validate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Measures validation throughput (resources/s) of the stock HAPI FhirInstanceValidator paths and of "
                + "our ProfileValidator on the mapped demo studies, after a warm-up, and checks their findings are equal.",
                "Exit code: 0 ok, 1 findings differ."})
public final class BenchValidateCommand implements Callable<Integer> {

    private interface BenchPath {
        /** Validates some inputs, returns how many resources it validated. */
        long step();
    }

    @Spec
    CommandSpec spec;

    @Option(names = "--min-resources", paramLabel = "N", description = "Replicate the demo resources to at least N inputs (default: ${DEFAULT-VALUE})")
    int minResources = 4000;

    @Option(names = "--warmup", paramLabel = "SECONDS", description = "Warm-up per path (default: ${DEFAULT-VALUE})")
    double warmup = 10;

    @Option(names = "--seconds", paramLabel = "SECONDS", description = "Length of one measured round (default: ${DEFAULT-VALUE})")
    double seconds = 5;

    @Option(names = "--rounds", paramLabel = "N", description = "Measured rounds per path; the median is reported (default: ${DEFAULT-VALUE})")
    int rounds = 3;

    @Option(names = "--threads", paramLabel = "N", description = "Threads of the all-cores paths (default: ${DEFAULT-VALUE})")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--synthetic", paramLabel = "SUBJECTS", description = "Inputs: the resources of this many synthetic "
            + "subjects (distinct values, ~31 resources each) instead of copies of the demo resources (default: ${DEFAULT-VALUE}; 0: demo copies)")
    int synthetic = 150;

    @Option(names = "--mappings", paramLabel = "DIR", description = "Mappings for --synthetic (default: ${DEFAULT-VALUE})")
    java.nio.file.Path mappings = java.nio.file.Path.of("mappings");

    @Option(names = "--only", paramLabel = "a,b,b2,c,c0,d,e,f,g", split = ",",
            description = "Run only these paths (default: all)")
    Set<String> only;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        FhirContext ctx = FhirContext.forR4Cached();
        CellTrialPackage pkg = CellTrialPackage.load(ctx);

        List<Resource> demo = DemoStudyResources.map(ctx);
        DemoStudyResources.applyPendingMappingFixes(demo);
        for (Resource r : demo) {
            pkg.defaultProfile(r.fhirType()).ifPresent(p -> r.getMeta().addProfile(p));
        }
        int copies = Math.max(1, (minResources + demo.size() - 1) / demo.size());
        List<Resource> inputs = new ArrayList<>(demo.size() * copies);
        String inputText;
        if (synthetic > 0) {
            inputs.addAll(syntheticResources(pkg));
            copies = 0;
            inputText = String.format(Locale.ROOT, "%d resources of %d synthetic subjects (all values distinct per subject)", inputs.size(), synthetic);
        } else {
            for (int k = 0; k < copies; k++) {
                for (Resource r : demo) {
                    Resource c = r.copy();
                    c.setId(r.getIdElement().getIdPart() + "-c" + k);
                    inputs.add(c);
                }
            }
            inputText = String.format(Locale.ROOT, "%d demo resources x %d copies = %d inputs", demo.size(), copies, inputs.size());
        }
        List<Bundle> bundles = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i += 100) {
            Bundle b = new Bundle().setType(Bundle.BundleType.COLLECTION);
            for (Resource r : inputs.subList(i, Math.min(i + 100, inputs.size()))) {
                b.addEntry().setFullUrl("urn:uuid:" + UUID.randomUUID()).setResource(r);
            }
            bundles.add(b);
        }
        // the same bundles with entries without meta.profile: a naive bundle validation then checks the base
        // definitions only (our profiles are never applied): faster, but not the same validation
        List<Bundle> bareBundles = new ArrayList<>();
        for (Bundle b : bundles) {
            Bundle bare = new Bundle().setType(Bundle.BundleType.COLLECTION);
            for (Bundle.BundleEntryComponent e : b.getEntry()) {
                Resource r = e.getResource().copy();
                r.getMeta().getProfile().clear();
                bare.addEntry().setFullUrl(e.getFullUrl()).setResource(r);
            }
            bareBundles.add(bare);
        }
        out.printf(Locale.ROOT, "bench-validate: %s (%d bundles of <= 100); "
                        + "%d cores, %d threads for the all-cores paths; Java %s; load average %.2f%n",
                inputText, bundles.size(), Runtime.getRuntime().availableProcessors(), threads,
                System.getProperty("java.version"), load());
        out.printf(Locale.ROOT, "each path: %.0f s warm-up, then %d rounds of %.0f s; median resources/s (min-max), and per CPU-second of the JVM%n%n", warmup, rounds, seconds);
        out.flush();

        long t0 = System.nanoTime();
        ValidationSupportChain stockChain = ValidationSupports.chain(ctx, pkg);
        FhirValidator stock = StockValidation.newValidator(ctx, stockChain);
        StockValidation.validate(stock, inputs.get(0), null);
        out.printf(Locale.ROOT, "start-up: stock chain + first validation %.1f s", (System.nanoTime() - t0) / 1e9);
        t0 = System.nanoTime();
        try (ProfileValidator ours = ProfileValidator.create(ctx, pkg, threads);
             ProfileValidator plain = ProfileValidator.create(ctx, pkg, threads, false)) {
            out.printf(Locale.ROOT, ", ProfileValidator.create %.1f s%n", (System.nanoTime() - t0) / 1e9);

            int diffs = verify(out, ctx, stock, ours, demo, inputs);
            out.println();

            int[] cursor = new int[1];
            run(out, "a", "(a) stock: new FhirValidator + FhirInstanceValidator per call", () -> {
                Resource r = inputs.get(cursor[0]++ % inputs.size());
                StockValidation.validate(StockValidation.newValidator(ctx, stockChain), r, null);
                return 1;
            });
            run(out, "b", "(b) stock: one FhirValidator reused, per resource, 1 thread", () -> {
                Resource r = inputs.get(cursor[0]++ % inputs.size());
                StockValidation.validate(stock, r, null);
                return 1;
            });
            run(out, "b2", "(b2) stock: one FhirValidator reused, per resource, " + threads + " threads", parallel(threads, inputs,
                    r -> StockValidation.validate(stock, r, null)));
            run(out, "c", "(c) stock: one FhirValidator reused, Bundles of 100, 1 thread", () -> {
                Bundle b = bundles.get(cursor[0]++ % bundles.size());
                StockValidation.validate(stock, b, null);
                return b.getEntry().size();
            });
            run(out, "c0", "(c0) as (c), entries without meta.profile: base FHIR only, NOT our profiles", () -> {
                Bundle b = bareBundles.get(cursor[0]++ % bareBundles.size());
                StockValidation.validate(stock, b, null);
                return b.getEntry().size();
            });
            // with shape reuse, every pass over the inputs starts with no known shapes: a resource counts as reused only
            // when an earlier resource of the same pass had its shape, as in one delivery of new subjects
            run(out, "d", "(d) ours: ProfileValidator, per resource, 1 thread", () -> {
                int i = cursor[0]++ % inputs.size();
                if (i == 0) {
                    ours.forgetShapes();
                }
                ours.validate(inputs.get(i));
                return 1;
            });
            printShapes(out, ours);
            run(out, "e", "(e) ours: ProfileValidator, per resource, " + threads + " threads", parallel(threads, inputs, ours::validate, ours::forgetShapes));
            printShapes(out, ours);
            run(out, "f", "(f) ours without shape reuse, per resource, 1 thread", () -> {
                plain.validate(inputs.get(cursor[0]++ % inputs.size()));
                return 1;
            });
            run(out, "g", "(g) ours without shape reuse, per resource, " + threads + " threads", parallel(threads, inputs, plain::validate));
            out.printf(Locale.ROOT, "%nload average at the end %.2f%n", load());
            return diffs == 0 ? CellTrialCli.OK : CellTrialCli.FOUND_ERRORS;
        }
    }

    private void printShapes(PrintWriter out, ProfileValidator v) {
        if (only != null && !only.contains("d") && !only.contains("e")) {
            return;
        }
        ProfileValidator.ShapeStats s = v.shapeStats();
        out.printf(Locale.ROOT, "    shape reuse so far: %d reused, %d validated (%.0f %% reused), %d reuses re-validated and compared: %s%n",
                s.reused(), s.validated(), 100.0 * s.reused() / Math.max(1, s.reused() + s.validated()), s.checked(),
                s.enabled() ? "all equal" : "A DIFFERENCE TURNED REUSE OFF");
        out.flush();
    }

    /** The resources of {@link #synthetic} generated subjects, mapped with the real mappings (as the pipeline does). */
    private List<Resource> syntheticResources(CellTrialPackage pkg) throws java.io.IOException {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("bench-validate-");
        try {
            SyntheticStudyGenerator.write(dir, "BENCH-V", synthetic, 7);
            StudyMapper.Result mapped = StudyMapper.map(dir, mappings);
            List<Resource> resources = new ArrayList<>();
            mapped.resources().all().forEach(m -> resources.add(m.resource()));
            for (Resource r : resources) {
                if (!r.getMeta().hasProfile()) {
                    pkg.defaultProfile(r.fhirType()).ifPresent(p -> r.getMeta().addProfile(p));
                }
            }
            return resources;
        } finally {
            try (var files = java.nio.file.Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    /**
     * Compares stock (b) and our findings on every demo resource, with and without meta.profile, and on every input
     * (with shape reuse: ours reuses findings for the inputs whose shape it has seen, and must still agree).
     */
    private int verify(PrintWriter out, FhirContext ctx, FhirValidator stock, ProfileValidator ours, List<Resource> demo, List<Resource> inputs) {
        List<Resource> checks = new ArrayList<>(synthetic > 0 ? inputs : inputs.subList(0, Math.min(inputs.size(), demo.size() * 2)));
        checks.addAll(demo);
        for (Resource r : demo) {
            Resource noProfile = r.copy();
            noProfile.getMeta().getProfile().clear();
            checks.add(noProfile);
        }
        int diffs = 0;
        long issues = 0;
        for (Resource r : checks) {
            Set<String> s = key(StockValidation.validate(stock, r, ours.profileForStockPath(r, null)));
            Set<String> o = key(ours.validate(r));
            issues += o.size();
            if (!s.equals(o)) {
                diffs++;
                if (diffs <= 5) {
                    out.println("DIFFERENT FINDINGS for " + r.fhirType() + "/" + r.getIdElement().getIdPart() + ":\n  stock " + s + "\n  ours  " + o);
                }
            }
        }
        out.printf(Locale.ROOT, "findings (severity, location, message) of stock (b) and ours: %s on %d resources (%d issues)%n",
                diffs == 0 ? "EQUAL" : "DIFFERENT on " + diffs, checks.size(), issues);
        return diffs;
    }

    private static Set<String> key(ValidationResult r) {
        Set<String> s = new TreeSet<>();
        r.issues().forEach(i -> s.add(i.severity().code() + " | " + i.location() + " | " + i.message()));
        return s;
    }

    /** Several threads validating the inputs, each resource once per pass, all threads sharing one cursor. */
    private static BenchPath parallel(int threads, List<Resource> inputs, java.util.function.Consumer<Resource> validate) {
        return parallel(threads, inputs, validate, () -> { });
    }

    /** As above; {@code newPass} runs before each pass over the inputs. */
    private static BenchPath parallel(int threads, List<Resource> inputs, java.util.function.Consumer<Resource> validate,
                                      Runnable newPass) {
        AtomicLong cursor = new AtomicLong();
        return () -> {
            if (cursor.get() % inputs.size() < 25L * threads) {
                newPass.run();
            }
            int batch = Math.min(inputs.size(), 25 * threads);
            CountDownLatch done = new CountDownLatch(threads);
            AtomicLong counted = new AtomicLong();
            long end = cursor.get() + batch;
            for (int t = 0; t < threads; t++) {
                Thread th = new Thread(() -> {
                    try {
                        for (long i = cursor.getAndIncrement(); i < end; i = cursor.getAndIncrement()) {
                            validate.accept(inputs.get((int) (i % inputs.size())));
                            counted.incrementAndGet();
                        }
                    } finally {
                        done.countDown();
                    }
                }, "bench-" + t);
                th.setDaemon(true);
                th.start();
            }
            try {
                done.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            cursor.set(end);
            return counted.get();
        };
    }

    private void run(PrintWriter out, String id, String name, BenchPath path) {
        if (only != null && !only.contains(id)) {
            return;
        }
        out.printf(Locale.ROOT, "%-70s", name);
        out.flush();
        long until = System.nanoTime() + (long) (warmup * 1e9);
        while (System.nanoTime() < until) {
            path.step();
        }
        double[] rates = new double[rounds];
        double[] perCpu = new double[rounds];
        for (int i = 0; i < rounds; i++) {
            long n = 0;
            long cpu = processCpuNanos();
            long start = System.nanoTime();
            long stop = start + (long) (seconds * 1e9);
            long now;
            do {
                n += path.step();
                now = System.nanoTime();
            } while (now < stop);
            rates[i] = n / ((now - start) / 1e9);
            perCpu[i] = n / Math.max(1e-9, (processCpuNanos() - cpu) / 1e9);
        }
        double[] sorted = rates.clone();
        Arrays.sort(sorted);
        double[] cpuSorted = perCpu.clone();
        Arrays.sort(cpuSorted);
        out.printf(Locale.ROOT, "%8.0f resources/s  (%.0f-%.0f)  %7.0f per CPU-second%n", sorted[sorted.length / 2], sorted[0],
                sorted[sorted.length - 1], cpuSorted[cpuSorted.length / 2]);
        out.flush();
    }

    /** CPU time of the whole JVM (all threads, GC and JIT included). */
    private static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : 0;
    }

    private static double load() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }
}
