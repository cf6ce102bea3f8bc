package org.celltrial.adapter.guard;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;

import java.io.IOException;

/** Marks the thread serving an HTTP request, so the connections it takes get the request statement timeout. */
public class StatementTimeoutFilter implements Filter {

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) throws IOException, ServletException {
        StatementTimeouts.requestStarted();
        try {
            chain.doFilter(request, response);
        } finally {
            StatementTimeouts.requestEnded();
        }
    }
}
