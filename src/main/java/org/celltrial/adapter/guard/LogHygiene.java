package org.celltrial.adapter.guard;

import org.celltrial.adapter.runtime.FatalErrors;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.LoggerContextVO;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.EncoderBase;
import ch.qos.logback.core.spi.FilterReply;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;
import org.slf4j.event.KeyValuePair;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Applied to Logback once Spring Boot has configured it ({@link GuardStartup}):
 * <ul>
 *   <li>every appender's encoder is wrapped so that each event's message and exception messages pass
 *       {@link LogScrubber} (no resource ids or query values, control characters escaped), whatever logged them;</li>
 *   <li>a turbo filter halts the process when a logged throwable is an OutOfMemoryError (frameworks that catch
 *       errors log them: {@link FatalErrors}), and drops HAPI's stack trace of an expected refusal thrown by an
 *       interceptor (the read-only rule's 403, our 400s): the request is logged in one line instead;</li>
 *   <li>Hibernate's two lines for each request whose wait for a pooled connection ran out are dropped: the 503 is
 *       logged in one rate-limited line ({@link RefusalLog}), so an overload cannot flood the log.</li>
 * </ul>
 */
public final class LogHygiene {

    static final String HAPI_INTERCEPTOR_SERVICE = "ca.uhn.fhir.interceptor.executor.BaseInterceptorService";
    static final String HIBERNATE_SQL_ERRORS = "org.hibernate.engine.jdbc.spi.SqlExceptionHelper";
    static final String HAPI_SEARCH_TASK = "ca.uhn.fhir.jpa.search.builder.tasks.SearchTask";
    /** Logs "Failed to create or execute SQL query" with the stack trace when PostgreSQL cancels a search's query. */
    static final String HAPI_SEARCH_QUERY_EXECUTOR = "ca.uhn.fhir.jpa.search.builder.sql.SearchQueryExecutor";
    private static final java.util.regex.Pattern STATEMENT_TIMEOUT = java.util.regex.Pattern.compile(
            "SQL Error: -?\\d+, SQLState: 57014|.*(" + DatabaseErrors.TIMEOUT_TEXT.pattern() + ").*");
    private static final java.util.regex.Pattern POOL_WAIT = java.util.regex.Pattern.compile(
            "SQL Error: 0, SQLState: (null|08\\d{3})|.*Connection is not available, request timed out.*");

    private LogHygiene() {
    }

    public static void install() {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (!(factory instanceof LoggerContext context)) {
            return;
        }
        if (context.getTurboFilterList().stream().noneMatch(f -> f instanceof Filter)) {
            Filter filter = new Filter();
            filter.setContext(context);
            filter.start();
            context.addTurboFilter(filter);
        }
        for (Logger logger : context.getLoggerList()) {
            for (Iterator<Appender<ILoggingEvent>> it = logger.iteratorForAppenders(); it.hasNext(); ) {
                if (it.next() instanceof OutputStreamAppender<ILoggingEvent> out && out.getEncoder() != null
                        && !(out.getEncoder() instanceof ScrubbingEncoder)) {
                    out.setEncoder(new ScrubbingEncoder(out.getEncoder()));
                }
            }
        }
    }

    /** Halts on a logged OutOfMemoryError; drops HAPI's stack traces of expected refusals thrown by interceptors. */
    static final class Filter extends TurboFilter {
        @Override
        public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
            if (format != null && HIBERNATE_SQL_ERRORS.equals(logger.getName()) && POOL_WAIT.matcher(format).matches()) {
                // Hibernate's two lines for a pool wait that ran out: the request's 503 is logged (rate-limited) instead
                return FilterReply.DENY;
            }
            Throwable thrown = t;
            if (thrown == null && params != null && params.length > 0 && params[params.length - 1] instanceof Throwable last) {
                thrown = last;
            }
            if (format != null && HIBERNATE_SQL_ERRORS.equals(logger.getName()) && STATEMENT_TIMEOUT.matcher(format).matches()) {
                // Hibernate's two lines for a statement cancelled by the statement timeout: the request's 503 says it
                return FilterReply.DENY;
            }
            if (thrown == null) {
                return FilterReply.NEUTRAL;
            }
            FatalErrors.haltIfOutOfMemory(thrown, "logged by " + logger.getName());
            if ((HAPI_SEARCH_TASK.equals(logger.getName()) || HAPI_SEARCH_QUERY_EXECUTOR.equals(logger.getName()))
                    && DatabaseErrors.classify(thrown) == DatabaseErrors.Kind.TIMEOUT) {
                // HAPI's stack trace of a search cancelled by the statement timeout: FhirErrorGuard logs the 503 in one line
                return FilterReply.DENY;
            }
            if (HAPI_INTERCEPTOR_SERVICE.equals(logger.getName()) && thrown instanceof BaseServerResponseException e
                    && e.getStatusCode() < 500) {
                return FilterReply.DENY;
            }
            return FilterReply.NEUTRAL;
        }
    }

    /** Encodes a scrubbed view of each event with the appender's own encoder (its pattern stays as configured). */
    static final class ScrubbingEncoder extends EncoderBase<ILoggingEvent> {
        private final Encoder<ILoggingEvent> delegate;

        ScrubbingEncoder(Encoder<ILoggingEvent> delegate) {
            this.delegate = delegate;
        }

        @Override
        public byte[] headerBytes() {
            return delegate.headerBytes();
        }

        @Override
        public byte[] encode(ILoggingEvent event) {
            return delegate.encode(new ScrubbedEvent(event));
        }

        @Override
        public byte[] footerBytes() {
            return delegate.footerBytes();
        }

        @Override
        public void start() {
            if (!delegate.isStarted()) {
                delegate.start();
            }
            super.start();
        }

        @Override
        public void stop() {
            delegate.stop();
            super.stop();
        }
    }

    /** An event whose message and exception messages are scrubbed; everything else is the original's. */
    static final class ScrubbedEvent implements ILoggingEvent {
        private final ILoggingEvent e;
        private String message;

        ScrubbedEvent(ILoggingEvent e) {
            this.e = e;
        }

        @Override
        public String getFormattedMessage() {
            if (message == null) {
                message = LogScrubber.scrub(e.getFormattedMessage());
            }
            return message;
        }

        @Override
        public String getMessage() {
            return getFormattedMessage();
        }

        @Override
        public Object[] getArgumentArray() {
            return null;
        }

        @Override
        public IThrowableProxy getThrowableProxy() {
            IThrowableProxy p = e.getThrowableProxy();
            return p == null ? null : new ScrubbedThrowable(p);
        }

        @Override
        public String getThreadName() {
            return e.getThreadName();
        }

        @Override
        public Level getLevel() {
            return e.getLevel();
        }

        @Override
        public String getLoggerName() {
            return e.getLoggerName();
        }

        @Override
        public LoggerContextVO getLoggerContextVO() {
            return e.getLoggerContextVO();
        }

        @Override
        public StackTraceElement[] getCallerData() {
            return e.getCallerData();
        }

        @Override
        public boolean hasCallerData() {
            return e.hasCallerData();
        }

        @Override
        public List<Marker> getMarkerList() {
            return e.getMarkerList();
        }

        @Override
        public Map<String, String> getMDCPropertyMap() {
            return e.getMDCPropertyMap();
        }

        @SuppressWarnings("deprecation")
        @Override
        public Map<String, String> getMdc() {
            return e.getMdc();
        }

        @Override
        public long getTimeStamp() {
            return e.getTimeStamp();
        }

        @Override
        public int getNanoseconds() {
            return e.getNanoseconds();
        }

        @Override
        public long getSequenceNumber() {
            return e.getSequenceNumber();
        }

        @Override
        public List<KeyValuePair> getKeyValuePairs() {
            return e.getKeyValuePairs();
        }

        @Override
        public void prepareForDeferredProcessing() {
            e.prepareForDeferredProcessing();
        }
    }

    /** A throwable proxy with scrubbed messages, its causes and suppressed exceptions too. */
    static final class ScrubbedThrowable implements IThrowableProxy {
        private final IThrowableProxy p;

        ScrubbedThrowable(IThrowableProxy p) {
            this.p = p;
        }

        @Override
        public String getMessage() {
            return LogScrubber.scrub(p.getMessage());
        }

        @Override
        public String getOverridingMessage() {
            return LogScrubber.scrub(p.getOverridingMessage());
        }

        @Override
        public String getClassName() {
            return p.getClassName();
        }

        @Override
        public StackTraceElementProxy[] getStackTraceElementProxyArray() {
            return p.getStackTraceElementProxyArray();
        }

        @Override
        public int getCommonFrames() {
            return p.getCommonFrames();
        }

        @Override
        public IThrowableProxy getCause() {
            return p.getCause() == null ? null : new ScrubbedThrowable(p.getCause());
        }

        @Override
        public IThrowableProxy[] getSuppressed() {
            IThrowableProxy[] s = p.getSuppressed();
            if (s == null) {
                return null;
            }
            IThrowableProxy[] out = new IThrowableProxy[s.length];
            for (int i = 0; i < s.length; i++) {
                out[i] = new ScrubbedThrowable(s[i]);
            }
            return out;
        }

        @Override
        public boolean isCyclic() {
            return p.isCyclic();
        }
    }
}
