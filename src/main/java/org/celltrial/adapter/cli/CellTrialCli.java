package org.celltrial.adapter.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.core.ConsoleAppender;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.util.Set;

/**
 * Command line tools of the jar that run without starting Spring or the server:
 * {@code java -jar celltrial-fhir-adapter.jar validate <files or folders...>} and {@code ... bench-validate}.
 * {@link org.celltrial.adapter.CellTrialFhirAdapterApplication#main} dispatches here when the first argument is one
 * of {@link #COMMANDS}.
 */
@Command(name = "celltrial-fhir-adapter", mixinStandardHelpOptions = true, version = "CellTrial FHIR Adapter 0.1.0",
        description = "Offline tools. Without a command the jar starts the adapter (server and ingest).",
        subcommands = {ValidateCommand.class, BenchValidateCommand.class})
public final class CellTrialCli {

    /** First arguments that select the command line instead of the server. */
    public static final Set<String> COMMANDS = Set.of("validate", "bench-validate");

    /** Exit codes. */
    public static final int OK = 0;
    public static final int FOUND_ERRORS = 1;
    public static final int USAGE_OR_IO = 2;

    private CellTrialCli() {
    }

    public static boolean isCommand(String[] args) {
        return args.length > 0 && COMMANDS.contains(args[0]);
    }

    /** Runs a command; returns the exit code. */
    public static int run(String[] args) {
        return run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
    }

    /** Runs a command with the given output streams (tests); returns the exit code. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        quietLogging();
        CommandLine cli = new CommandLine(CellTrialCli.class);
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            err.println("error: " + (ex.getMessage() == null ? ex.toString() : ex.getMessage()));
            return ex instanceof java.io.IOException || ex instanceof java.io.UncheckedIOException ? USAGE_OR_IO : FOUND_ERRORS;
        });
        int code = cli.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /**
     * Without Spring nobody configures logback, and its default is DEBUG on stdout: send only errors, to stderr, so
     * stdout carries just the command's output (e.g. --format json). -Dcelltrial.cli.log=INFO|DEBUG shows more.
     */
    static void quietLogging() {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext lc)) {
            return;
        }
        Logger root = lc.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        if (root.getAppender("cli-stderr") != null) {
            return;
        }
        root.detachAndStopAllAppenders();
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(lc);
        encoder.setPattern("%level %logger{30} - %msg%n");
        encoder.start();
        ConsoleAppender<ch.qos.logback.classic.spi.ILoggingEvent> appender = new ConsoleAppender<>();
        appender.setName("cli-stderr");
        appender.setContext(lc);
        appender.setTarget("System.err");
        appender.setEncoder(encoder);
        appender.start();
        root.addAppender(appender);
        root.setLevel(Level.toLevel(System.getProperty("celltrial.cli.log", "ERROR"), Level.ERROR));
    }
}
