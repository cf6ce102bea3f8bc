package org.celltrial.adapter.runtime;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class FatalErrorsTest {

    private final List<Integer> halts = new ArrayList<>();

    @BeforeEach
    void recordHalts() {
        FatalErrors.setHalterForTest(halts::add);
    }

    @AfterEach
    void restore() {
        FatalErrors.setHalterForTest(code -> Runtime.getRuntime().halt(code));
    }

    @Test
    void anOutOfMemoryErrorAnywhereInTheChainHalts() {
        FatalErrors.haltIfOutOfMemory(new RuntimeException("wrapped", new IllegalStateException(new OutOfMemoryError("Java heap space"))), "test");
        assertThat(halts).containsExactly(FatalErrors.EXIT_CODE);
    }

    @Test
    void aSuppressedOutOfMemoryErrorHalts() {
        RuntimeException e = new RuntimeException("close failed");
        e.addSuppressed(new OutOfMemoryError());
        assertThat(FatalErrors.isOutOfMemory(e)).isTrue();
    }

    @Test
    void otherErrorsDoNot() {
        FatalErrors.haltIfOutOfMemory(new IllegalStateException("no"), "test");
        FatalErrors.haltIfOutOfMemory(new StackOverflowError(), "test");
        FatalErrors.haltIfOutOfMemory(new SQLException("Out of memory", "HY000", 90108), "not H2's class");
        assertThat(halts).isEmpty();
    }

    @Test
    void h2sOutOfMemoryErrorCodeHalts() {
        // H2 catches an OutOfMemoryError inside a statement, closes the database and throws error 90108
        org.h2.jdbc.JdbcSQLNonTransientException h2 = new org.h2.jdbc.JdbcSQLNonTransientException("Out of memory.",
                "Out of memory.", "HY000", 90108, null, "INSERT ...");
        assertThat(FatalErrors.isOutOfMemory(new RuntimeException(h2))).isTrue();
    }

    @Test
    void aCyclicCauseChainEnds() {
        RuntimeException a = new RuntimeException("a");
        RuntimeException b = new RuntimeException("b", a);
        a.initCause(b);
        assertThat(FatalErrors.isOutOfMemory(a)).isFalse();
    }

    @Test
    void theUncaughtHandlerHaltsOnOutOfMemoryInAnyThread() throws Exception {
        FatalErrors.installUncaughtHandler();
        Thread t = new Thread(() -> {
            throw new OutOfMemoryError("Java heap space");
        }, "worker");
        t.start();
        t.join();
        assertThat(halts).containsExactly(FatalErrors.EXIT_CODE);
    }
}
