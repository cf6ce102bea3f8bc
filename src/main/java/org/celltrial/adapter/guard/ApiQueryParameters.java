package org.celltrial.adapter.guard;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.HandlerInterceptor;

import java.util.Set;
import java.util.TreeSet;

/**
 * Unknown query parameters on /api are refused with 400 naming the known ones, instead of being ignored: a typo
 * ({@code ?satus=failed}) must not silently return everything.
 */
public class ApiQueryParameters implements HandlerInterceptor {

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (!(handler instanceof HandlerMethod method)) {
            return true;
        }
        Set<String> known = new TreeSet<>();
        for (MethodParameter p : method.getMethodParameters()) {
            RequestParam rp = p.getParameterAnnotation(RequestParam.class);
            if (rp != null) {
                String name = !rp.name().isEmpty() ? rp.name() : !rp.value().isEmpty() ? rp.value() : p.getParameterName();
                if (name == null || java.util.Map.class.isAssignableFrom(p.getParameterType())) {
                    return true;   // takes any parameter
                }
                known.add(name);
            }
        }
        for (String name : request.getParameterMap().keySet()) {
            if (!known.contains(name)) {
                String shown = name.length() > 40 ? name.substring(0, 40) + "..." : name;
                throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "unknown query parameter '" + shown + "'"
                        + (known.isEmpty() ? "; this request takes none" : "; known: " + String.join(", ", known)));
            }
        }
        return true;
    }
}
