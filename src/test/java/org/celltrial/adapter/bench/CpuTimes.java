package org.celltrial.adapter.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * CPU time used by the adapter's JVM, by PostgreSQL's processes (all of the machine's: run it where no other
 * database works) and by the whole machine (Linux /proc), so a run can
 * report CPU per resource: on a shared VM the wall-clock rate drifts by ±10 % between runs of the same code, while the
 * CPU a resource costs moves much less, so it shows a change of a few per cent that the rate hides. Elsewhere every
 * figure is NaN.
 */
record CpuTimes(double adapterS, double postgresS, double machineBusyS, double machineTotalS) {

    /** Clock ticks per second of /proc's counters (USER_HZ; 100 on Linux). */
    private static final double HZ = 100.0;

    static CpuTimes now(long adapterPid) {
        try {
            double adapter = processTicks(adapterPid, false) / HZ;
            double postgres = 0;
            try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
                for (Path p : procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).toList()) {
                    String comm = read(p.resolve("comm"));
                    if (comm != null && comm.startsWith("postgres")) {
                        // with the time of reaped children (cutime, cstime): a backend or autovacuum worker that
                        // ends during the run passes its time on to the postmaster instead of losing it
                        postgres += processTicks(Long.parseLong(p.getFileName().toString()), true) / HZ;
                    }
                }
            }
            // first line of /proc/stat: cpu user nice system idle iowait irq softirq steal ...; steal is time other
            // guests of the host had: counted in the total, not as this machine's work
            String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            double busy = 0, total = 0;
            for (int i = 1; i < Math.min(cpu.length, 9); i++) {
                double v = Double.parseDouble(cpu[i]);
                total += v;
                if (i != 4 && i != 5 && i != 8) {
                    busy += v;
                }
            }
            return new CpuTimes(adapter, postgres, busy / HZ, total / HZ);
        } catch (IOException | RuntimeException e) {
            return new CpuTimes(Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
    }

    /**
     * The CPU used between two readings. The adapter's and the machine's counters only grow; if one went back, the
     * readings are of different processes or boots, and a figure from them would be wrong in docs/benchmarks.md.
     * (PostgreSQL's sum may dip for a moment: an ended backend's time reaches the postmaster only when it is reaped.)
     */
    CpuTimes since(CpuTimes start) {
        if (adapterS < start.adapterS || machineBusyS < start.machineBusyS || machineTotalS < start.machineTotalS) {
            throw new IllegalStateException("CPU counters went back between two readings (" + start + " -> " + this
                    + "): not the same process or machine");
        }
        return new CpuTimes(adapterS - start.adapterS, postgresS - start.postgresS,
                machineBusyS - start.machineBusyS, machineTotalS - start.machineTotalS);
    }

    /**
     * utime + stime of a process (fields 14 and 15 of /proc/PID/stat, counted after the command name), with
     * {@code reaped} also cutime + cstime (16 and 17: its ended children's); in ticks.
     */
    private static long processTicks(long pid, boolean reaped) throws IOException {
        String stat = read(Path.of("/proc", Long.toString(pid), "stat"));
        if (stat == null) {
            return 0;
        }
        List<String> f = List.of(stat.substring(stat.lastIndexOf(')') + 2).split(" "));
        long own = Long.parseLong(f.get(11)) + Long.parseLong(f.get(12));
        return reaped ? own + Long.parseLong(f.get(13)) + Long.parseLong(f.get(14)) : own;
    }

    private static String read(Path p) {
        try {
            return Files.readString(p).trim();
        } catch (IOException e) {
            return null; // the process ended meanwhile
        }
    }
}
