package org.celltrial.adapter.guard;

import org.celltrial.adapter.runtime.FatalErrors;
import com.sun.management.HotSpotDiagnosticMXBean;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.logging.LoggingApplicationListener;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.event.GenericApplicationListener;
import org.springframework.core.ResolvableType;

import java.lang.management.ManagementFactory;

/**
 * Runs as soon as Spring Boot has configured logging (registered in META-INF/spring.factories, ordered right after
 * {@link LoggingApplicationListener}): installs the halt-on-OutOfMemoryError handler and the log hygiene, and warns
 * when the JVM was started without {@code -XX:+ExitOnOutOfMemoryError}.
 */
public class GuardStartup implements GenericApplicationListener {

    @Override
    public boolean supportsEventType(ResolvableType eventType) {
        return eventType.getRawClass() != null && ApplicationEnvironmentPreparedEvent.class.isAssignableFrom(eventType.getRawClass());
    }

    @Override
    public void onApplicationEvent(ApplicationEvent event) {
        FatalErrors.installUncaughtHandler();
        LogHygiene.install();
        if (!exitOnOutOfMemory()) {
            LoggerFactory.getLogger(GuardStartup.class).warn("The JVM runs without -XX:+ExitOnOutOfMemoryError: an "
                    + "OutOfMemoryError still halts the adapter where it catches or logs one, but set the option (README, "
                    + "'Security notes') so that every one does, at once");
        }
    }

    @Override
    public int getOrder() {
        return LoggingApplicationListener.DEFAULT_ORDER + 1;
    }

    static boolean exitOnOutOfMemory() {
        try {
            HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            return hotspot != null && ("true".equals(hotspot.getVMOption("ExitOnOutOfMemoryError").getValue())
                    || "true".equals(hotspot.getVMOption("CrashOnOutOfMemoryError").getValue()));
        } catch (RuntimeException e) {
            return false;
        }
    }
}
