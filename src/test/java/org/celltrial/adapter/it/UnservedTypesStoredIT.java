package org.celltrial.adapter.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.celltrial.adapter.it.RestHookSubscriptionIT.JSON;
import static org.celltrial.adapter.it.RestHookSubscriptionIT.h2Args;
import static org.celltrial.adapter.it.RestHookSubscriptionIT.send;

/**
 * A site that served every type ({@code celltrial.fhir.resource-types=all}) with REST writes on and stored a Location,
 * then went back to the default list (which does not name Location), still has that row: README promises it stays
 * and comes back with {@code all}. Meanwhile the server keeps answering: its system-level {@code _history} reads the
 * resource table without a per-type DAO and still lists the Location's creation (the history of what was stored);
 * a read of the Location says its type is not served, and serving every type again gives it back.
 */
class UnservedTypesStoredIT {

    @TempDir
    Path data;

    @Test
    void rowsOfATypeNoLongerServedStayStoredWithoutBreakingSystemLevelReads() throws Exception {
        List<String> all = new ArrayList<>(h2Args(data));
        all.addAll(List.of("--celltrial.fhir.resource-types=all", "--celltrial.fhir.read-only=false"));
        String locationId;
        String before = java.time.Instant.now().minusSeconds(1).toString();
        try (RestHookSubscriptionIT.App app = new RestHookSubscriptionIT.App(all).start()) {
            HttpResponse<String> created = send("POST", app.fhir() + "/Location", null,
                    "{\"resourceType\":\"Location\",\"status\":\"active\",\"name\":\"Ward 7\"}");
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            locationId = JSON.readTree(created.body()).get("id").asText();
            HttpResponse<String> patient = send("POST", app.fhir() + "/Patient", null,
                    "{\"resourceType\":\"Patient\",\"gender\":\"female\"}");
            assertThat(patient.statusCode()).as(patient.body()).isEqualTo(201);
        }

        try (RestHookSubscriptionIT.App app = new RestHookSubscriptionIT.App(h2Args(data)).start()) {
            HttpResponse<String> metadata = send("GET", app.fhir() + "/metadata", null, null);
            List<String> served = new ArrayList<>();
            for (JsonNode r : JSON.readTree(metadata.body()).path("rest").path(0).path("resource")) {
                served.add(r.path("type").asText());
            }
            assertThat(served).contains("Patient").doesNotContain("Location");

            HttpResponse<String> history = send("GET", app.fhir() + "/_history?_count=500&_since=" + before, null, null);
            assertThat(history.statusCode()).as(history.body()).isEqualTo(200);
            // the server's history is every change it stored, as HAPI gives it: the Location's creation is one
            assertThat(types(history)).contains("Patient", "Location");

            HttpResponse<String> read = send("GET", app.fhir() + "/Location/" + locationId, null, null);
            assertThat(read.statusCode()).as(read.body()).isEqualTo(404);
            assertThat(read.body()).contains("Location");
        }

        try (RestHookSubscriptionIT.App app = new RestHookSubscriptionIT.App(all).start()) {
            HttpResponse<String> read = send("GET", app.fhir() + "/Location/" + locationId, null, null);
            assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
            assertThat(JSON.readTree(read.body()).get("name").asText()).isEqualTo("Ward 7");
        }
    }

    private static List<String> types(HttpResponse<String> bundle) throws Exception {
        List<String> types = new ArrayList<>();
        for (JsonNode e : JSON.readTree(bundle.body()).path("entry")) {
            types.add(e.path("resource").path("resourceType").asText());
        }
        return types;
    }
}
