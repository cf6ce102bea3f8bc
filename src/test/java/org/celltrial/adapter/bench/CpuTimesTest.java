package org.celltrial.adapter.bench;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** CpuTimes reads this JVM's CPU time from /proc: work done between two readings shows up, idle time does not. */
class CpuTimesTest {

    @Test
    void cpuSpentBetweenTwoReadingsIsCounted() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/self/stat")), "Linux /proc only");
        long self = ProcessHandle.current().pid();
        CpuTimes start = CpuTimes.now(self);
        // spin until this thread has used 0.4 s of CPU (by wall time alone a busy machine may give it less)
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long cpuUntil = threads.getCurrentThreadCpuTime() + 400_000_000L;
        long wallLimit = System.nanoTime() + 20_000_000_000L;
        long x = 0;
        while (threads.getCurrentThreadCpuTime() < cpuUntil && System.nanoTime() < wallLimit) {
            x += Long.numberOfTrailingZeros(x + System.nanoTime());
        }
        CpuTimes spent = CpuTimes.now(self).since(start);
        assertThat(x).isNotNegative();
        // ~0.4 s of this thread's CPU; ticks are 10 ms, and the JVM's other threads (JIT, GC of a suite running beside)
        // add what they add: seen 5.5 s on a loaded machine, so only a generous bound above
        assertThat(spent.adapterS()).as(spent.toString()).isBetween(0.2, 60.0);
        // busy and total are sums of /proc/stat columns in seconds: equal ones may differ in the last bits
        assertThat(spent.machineBusyS()).isGreaterThanOrEqualTo(0.2).isLessThanOrEqualTo(spent.machineTotalS() + 1e-6);
        assertThat(spent.postgresS()).isNotNegative();

        // a second asleep is not a second of this process's CPU: only its other threads' work (JIT, GC, background
        // threads left by other tests in this JVM; 0.32 s in 0.3 s was seen with a suite beside) may show
        CpuTimes idle = CpuTimes.now(self);
        Thread.sleep(1000);
        assertThat(CpuTimes.now(self).since(idle).adapterS()).isLessThan(0.9);
    }

    @Test
    void readingsThatGoBackAreRefused() {
        CpuTimes earlier = new CpuTimes(2.0, 1.0, 10.0, 20.0);
        assertThat(new CpuTimes(3.0, 0.5, 12.0, 24.0).since(earlier).postgresS()).isEqualTo(-0.5);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new CpuTimes(1.0, 1.0, 12.0, 24.0).since(earlier))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("went back");
    }
}
