package org.celltrial.adapter.server;

import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Serves our IG as an npm-style FHIR package (built from fhir-profiles/ by Maven), so that others can load
 * our profiles into their own validators, e.g. the HL7 validator's {@code -ig http://host:8080/ig/package.tgz}.
 */
@RestController
public class IgPackageController {

    static final String PACKAGE_NAME = "celltrial.fhir.adapter";

    @GetMapping(value = {"/ig/package.tgz", "/ig/" + PACKAGE_NAME + ".tgz"})
    public ResponseEntity<Resource> packageTgz() {
        Resource tgz = new ClassPathResource("ig/package.tgz");
        if (!tgz.exists()) {
            return ResponseEntity.notFound().build();
        }
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType("application/gzip"))
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + PACKAGE_NAME + ".tgz\"")
                .body(tgz);
    }
}
